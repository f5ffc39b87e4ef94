// Small SVG charts: horizontal bars (rate or count per group) and columns over months.
const NS = 'http://www.w3.org/2000/svg';
function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// rows: [{label, value, note}], value in [0, max]. format(value) -> text shown at the bar's end.
export function barChart(rows, { max, format = String, title = '' } = {}) {
  const top = max ?? Math.max(1, ...rows.map(r => r.value));
  const rowH = 26, labelW = 190, width = 640;
  const svg = el('svg', { viewBox: `0 0 ${width} ${rows.length * rowH + 8}`, class: 'chart', role: 'img', 'aria-label': title });
  rows.forEach((r, k) => {
    const y = k * rowH + 4;
    const w = Math.max(1, (width - labelW - 80) * (r.value / top));
    const g = el('g');
    g.append(el('title', {}, `${r.label}: ${format(r.value)}${r.note ? ' — ' + r.note : ''}`));
    g.append(el('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', class: 'lbl' }, r.label.length > 25 ? r.label.slice(0, 24) + '…' : r.label));
    g.append(el('rect', { x: labelW, y: y + 3, width: w, height: rowH - 8, rx: 3, class: 'bar' }));
    g.append(el('text', { x: labelW + w + 6, y: y + 16, class: 'val' }, format(r.value)));
    svg.append(g);
  });
  return svg;
}

// points: [{label, value}] in order (months). Columns with every few labels shown.
export function columnChart(points, { format = String, title = '' } = {}) {
  const width = 640, height = 200, pad = 28;
  const top = Math.max(1, ...points.map(p => p.value));
  const colW = (width - pad) / Math.max(1, points.length);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height + 24}`, class: 'chart', role: 'img', 'aria-label': title });
  const every = Math.ceil(points.length / 8);
  points.forEach((p, k) => {
    const h = (height - 10) * (p.value / top);
    const x = pad + k * colW;
    const g = el('g');
    g.append(el('title', {}, `${p.label}: ${format(p.value)}`));
    g.append(el('rect', { x: x + 1, y: height - h, width: Math.max(1, colW - 2), height: h, class: 'bar' }));
    if (k % every === 0) g.append(el('text', { x: x + colW / 2, y: height + 16, 'text-anchor': 'middle', class: 'lbl' }, p.label));
    svg.append(g);
  });
  svg.append(el('text', { x: 0, y: 12, class: 'val' }, format(top)));
  return svg;
}
