// Casework views: the dashboard (queues, deadlines, overdue, reviewer load) and the case
// workspace (application, engine review with facts, criteria, precedents and probability, draft
// rationale editor, decide, issue the letter). Reviewers only ever receive their own cases.
import { api } from './api.js';

export function casesModule(h, errorBox) {
  const fmt = t => t ? t.replace('T', ' ').slice(0, 16) : '—';
  const now = () => new Date().toISOString().slice(0, 19);

  async function dashboard(view, session) {
    view.replaceChildren(h('h1', {}, 'Cases'), h('p', {}, 'Loading…'));
    try {
      const { cases } = await api('/api/cases');
      const open = cases.filter(c => !['closed', 'terminated', 'merged', 'letter_issued', 'ineligible'].includes(c.state));
      const overdue = open.filter(c => c.next_due && c.next_due < now());
      const byState = {};
      for (const c of cases) byState[c.state] = (byState[c.state] || 0) + 1;
      const parts = [h('h1', {}, session.role === 'reviewer' ? 'My assigned cases' : 'Casework'),
        h('div', { class: 'totals' },
          h('div', { class: 'tile' }, h('b', {}, open.length), 'open cases'),
          h('div', { class: 'tile', id: 'overdue' }, h('b', {}, overdue.length), 'overdue'),
          ...Object.entries(byState).slice(0, 2).map(([s, n]) => h('div', { class: 'tile' }, h('b', {}, n), s.replace(/_/g, ' '))))];
      parts.push(h('section', { class: 'card' }, h('h2', {}, 'Queues'),
        h('dl', { class: 'kv', id: 'queues' }, Object.entries(byState).map(([s, n]) => [h('dt', {}, s.replace(/_/g, ' ')), h('dd', {}, n)]))));
      if (session.role !== 'reviewer') {
        try {
          const { reviewers } = await api('/api/reviewers');
          parts.push(h('section', { class: 'card', id: 'load' }, h('h2', {}, 'Reviewer load'),
            h('dl', { class: 'kv' }, reviewers.map(r => [h('dt', {}, `#${r.id} ${(r.specialties || []).join(', ')}`),
              h('dd', {}, `${r.active_cases} of ${r.capacity}${r.available ? '' : ' (unavailable)'}`)]))));
        } catch (err) { parts.push(errorBox(err)); }
      }
      const sorted = [...cases].sort((a, b) => (a.next_due || '9').localeCompare(b.next_due || '9'));
      parts.push(h('section', { class: 'card' }, h('h2', {}, 'By deadline'),
        sorted.length ? h('table', { class: 'cases' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Case'), h('th', {}, 'State'), h('th', {}, 'Next due'), h('th', {}, 'Reviewer'))),
          h('tbody', {}, sorted.map(c => h('tr', { class: c.next_due && c.next_due < now() ? 'overdue' : '' },
            h('td', {}, h('a', { href: '#/case/' + encodeURIComponent(c.case_number) }, c.case_number)),
            h('td', {}, c.state.replace(/_/g, ' ')), h('td', {}, fmt(c.next_due)),
            h('td', {}, c.reviewer_id ? '#' + c.reviewer_id : '—')))))
          : h('p', { class: 'hint' }, 'No cases.')));
      view.replaceChildren(...parts);
    } catch (err) { view.replaceChildren(h('h1', {}, 'Cases'), errorBox(err)); }
  }

  // Marks each fact's evidence in the clinical summary.
  function highlighted(text, facts) {
    const spans = facts.filter(f => Array.isArray(f.span) && f.span.length === 2).map(f => [f.span[0], f.span[1], f.fact]).sort((a, b) => a[0] - b[0]);
    const out = []; let at = 0;
    for (const [b, e, name] of spans) {
      if (b < at || e > text.length) continue;
      out.push(text.slice(at, b), h('mark', { title: name }, text.slice(b, e)));
      at = e;
    }
    out.push(text.slice(at));
    return out;
  }

  async function workspace(view, ref, session) {
    view.replaceChildren(h('p', {}, 'Loading…'));
    let c;
    try { c = await api('/api/cases/' + encodeURIComponent(ref)); } catch (err) { view.replaceChildren(h('h1', {}, ref), errorBox(err)); return; }
    const items = c.application?.items || [];
    const msg = h('div', { 'aria-live': 'polite', id: 'case-msg' });
    const act = (event, body) => async () => {
      try { await api(`/api/cases/${encodeURIComponent(ref)}/${event}`, {}, { method: 'POST', body: body ? body() : '' }); workspace(view, ref, session); }
      catch (err) { msg.replaceChildren(errorBox(err)); }
    };
    const staffActions = session.role === 'reviewer' ? [] : ['screen', 'assign', 'records', 'expedite', 'close']
      .map(e => h('button', { type: 'button', onclick: act(e), 'data-event': e }, e));
    const summary = h('textarea', { id: 'summary', rows: 6, placeholder: 'Clinical summary from the medical records' }, c.determination?.clinical_summary || '');
    const reviewBox = h('div', { id: 'review' });
    const decisions = items.map((it, k) => ({
      decision: h('select', { id: `decision-${k}` }, h('option', { value: 'upheld' }, 'upheld'), h('option', { value: 'overturned' }, 'overturned')),
      basis: h('input', { id: `basis-${k}`, placeholder: 'Guideline relied on (e.g. MTUS Low Back Complaints 2004)' }),
      rationale: h('textarea', { id: `rationale-${k}`, rows: 5, placeholder: 'Decision rationale' }),
    }));
    async function runReview() {
      reviewBox.replaceChildren(h('p', {}, 'Reviewing…'));
      try {
        const r = await api('/api/review', {}, { method: 'POST', body: {
          date_of_injury: c.application?.date_of_injury, clinical_summary: summary.value,
          items: items.map(i => ({ request: i.request })) } });
        const facts = r.facts || [];
        reviewBox.replaceChildren(
          h('h3', {}, 'Facts with their evidence'), h('p', { class: 'evidence' }, highlighted(summary.value, Array.isArray(facts) ? facts : [])),
          ...r.items.map((it, k) => h('article', { class: 'item' },
            h('h3', {}, `Item ${k + 1}: ${it.request} `, h('span', { class: 'badge ' + it.decision }, it.decision),
              h('span', { class: 'prob' }, ` p(overturn) ${(100 * it.p_overturn).toFixed(0)}%`)),
            h('ul', { class: 'criteria' }, (it.criteria || []).map(cr => h('li', { class: 'crit ' + cr.outcome }, `${cr.outcome === 'met' ? '✔' : cr.outcome === 'unmet' ? '✘' : '?'} ${cr.text}`))),
            (it.precedents || []).length ? h('details', {}, h('summary', {}, `Precedents (${it.precedents.length})`),
              h('ul', {}, it.precedents.map(p => h('li', {}, h('a', { href: `#/letter/${encodeURIComponent(p.letter)}?item=${p.item}` }, p.letter), ` ${p.decision} — ${p.request}`)))) : null,
            h('button', { type: 'button', class: 'link', onclick: () => {
              if (!decisions[k]) return;
              decisions[k].decision.value = it.decision; decisions[k].rationale.value = it.rationale;
              decisions[k].basis.value = (it.citations || []).filter(x => x.governing).map(x => `${x.source} ${x.title}`).join('') || '';
            } }, 'Use this draft'))));
      } catch (err) { reviewBox.replaceChildren(errorBox(err)); }
    }
    const canDecide = ['under_review'].includes(c.state);
    view.replaceChildren(
      h('h1', {}, c.case_number, h('span', { class: 'badge' }, c.state.replace(/_/g, ' '))),
      h('div', { class: 'letter' },
        h('section', { class: 'card' }, h('h2', {}, 'Case'),
          h('dl', { class: 'kv' }, [['Received', fmt(c.application?.received)], ['Next due', fmt(c.next_due)], ['Records due', fmt(c.records_due)],
            ['Determination due', fmt(c.determination_due)], ['Reviewer', c.reviewer_id ? '#' + c.reviewer_id : '—'], ['Why', c.assignment_reason || '—'],
            ['Priority', c.application?.priority], ['Date of injury', c.application?.date_of_injury]].map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')])),
          h('h3', {}, 'Disputed items'), h('ol', {}, items.map(i => h('li', {}, i.request, h('span', { class: 'cat' }, ` ${i.category || ''}`)))),
          staffActions.length ? h('div', { class: 'actions' }, staffActions) : null, msg),
        h('section', { class: 'card', id: 'workspace' }, h('h2', {}, 'Review'),
          summary, h('div', { class: 'actions' }, h('button', { type: 'button', id: 'run-review', onclick: runReview }, 'Run the review engine')),
          reviewBox,
          h('h3', {}, 'Determination'),
          ...decisions.map((d, k) => h('div', { class: 'decide' }, h('b', {}, `Item ${k + 1}`), d.decision, d.basis, d.rationale)),
          h('div', { class: 'actions' },
            h('button', { type: 'button', id: 'decide', disabled: !canDecide || undefined, onclick: act('decide', () => ({
              clinical_summary: summary.value,
              items: decisions.map(d => ({ decision: d.decision.value, rationale: d.rationale.value, reviewer_basis: d.basis.value })) })) }, 'Record the decision'),
            h('button', { type: 'button', id: 'issue', disabled: c.state !== 'decided' || undefined, onclick: async () => {
              try { const r = await api(`/api/cases/${encodeURIComponent(ref)}/letter`, {}, { method: 'POST', body: '' });
                msg.replaceChildren(h('pre', { id: 'issued' }, r.text)); }
              catch (err) { msg.replaceChildren(errorBox(err)); }
            } }, 'Issue the letter')))));
  }

  return { dashboard, workspace };
}
