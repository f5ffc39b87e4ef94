// render_letter_pdf: the 2016 layout on paper, with Cairo (PDF surface) and Pango (shaping,
// wrapping, font fallback).
//
// The letter is built as a list of blocks (the header table, headings, paragraphs), each laid out
// by Pango at the text width; pagination then places the blocks' lines one by one, so paragraphs
// run on across pages as in the published letters, while headings are kept with what follows them.
// Drawing is a second pass over the placed lines, once the page count is known for "Page i of n".
//
// What the reader relies on (letter/pdf.cc, templates/dwc_2016.cc), and so what must not change:
//   * bold text uses a real bold face, whose embedded font name contains "Bold"; no synthetic
//     emboldening (Pango only fakes bold when the family has no bold face, so the family list
//     names families that have one);
//   * a disputed-item heading is bold up to and including its colon, then one plain word, the
//     decision; every line of a wrapped heading but the last is entirely bold;
//   * field paragraphs open with a bold lead ("Decision rationale:") followed by plain prose;
//   * the gap between paragraphs is clearly wider than the leading inside one (pdf.cc counts more
//     than 0.6 of a line height as a paragraph break), and lines of one paragraph are closer;
//   * the header table has bold labels ending in ':' and plain values on the same baseline, to
//     their right (pdf.cc's attach_table_values puts them back together).
#include "imr/letter/pdf_writer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib-object.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wording.h"
#include "imr/base/files.h"
#include "imr/letter/writer.h"

namespace imr::letter {
namespace {

// US Letter, one-inch side margins as in the published letters.
constexpr double kPageWidth = 612.0;
constexpr double kPageHeight = 792.0;
constexpr double kMarginLeft = 72.0;
constexpr double kMarginRight = 72.0;
constexpr double kMarginTop = 60.0;
constexpr double kMarginBottom = 66.0;  // room for the page number
constexpr double kTextWidth = kPageWidth - kMarginLeft - kMarginRight;

using namespace wording;  // the fixed headings and formulas (wording.h)

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

double to_points(int pango_units) { return static_cast<double>(pango_units) / PANGO_SCALE; }
int to_pango(double points) { return static_cast<int>(points * PANGO_SCALE + 0.5); }

// Text from a record may hold anything: invalid UTF-8 becomes U+FFFD (Pango refuses invalid
// input), and every control character, line breaks included, becomes a space so no field can
// break the layout. Runs of spaces (redaction gaps) are kept.
std::string clean(std::string_view s) {
  gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(valid);
  g_free(valid);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

// "2016-11-09" -> "11/09/2016"; anything else as written (the writer invents no dates).
std::string letter_date(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-')
    return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "/" + iso.substr(0, 4);
  return iso;
}

// A run of text in one weight; a paragraph is a sequence of runs.
struct Run {
  std::string text;
  bool bold = false;
  bool italic = false;
};

// A laid-out block of the letter. `space_before` is dropped at the top of a page.
struct Block {
  GPtr<PangoLayout> layout;
  double x = kMarginLeft;
  double space_before = 0;
  int keep_with_next = 0;  // lines of the next block that must share this block's page
};

// One line placed on a page.
struct PlacedLine {
  PangoLayoutLine* line;  // owned by its block's layout
  double x, baseline;
  int page;
};

// A table cell or rule placed on page 1.
struct PlacedCell {
  PangoLayout* layout;
  double x, y;
};

class PdfBuilder {
 public:
  PdfBuilder(const PdfOptions& options, PangoContext* context) : options_(options), context_(context) {
    const double size = std::clamp(options.font_size, 6.0, 24.0);
    body_font_.reset(pango_font_description_from_string(options.font_family.c_str()));
    pango_font_description_set_size(body_font_.get(), to_pango(size));
    table_font_.reset(pango_font_description_copy(body_font_.get()));
    pango_font_description_set_size(table_font_.get(), to_pango(size - 1));
    footer_font_.reset(pango_font_description_copy(body_font_.get()));
    pango_font_description_set_size(footer_font_.get(), to_pango(size - 2));
    line_height_ = size * 1.15;
    paragraph_gap_ = size * 0.9;
  }

  // Header table: (label, value) pairs in two columns, left then right.
  void header_table(const std::vector<std::pair<std::string, std::string>>& left,
                    const std::vector<std::pair<std::string, std::string>>& right) {
    // Columns: label, value, label, value. Label columns fit "Application Received:" on one line.
    const double col[4] = {108, 126, 118, 116};
    const double pad = 2.5;
    const std::size_t rows = std::max(left.size(), right.size());
    double y = kMarginTop;
    for (std::size_t r = 0; r < rows; ++r) {
      const std::pair<std::string, std::string>* cells[2] = {r < left.size() ? &left[r] : nullptr,
                                                             r < right.size() ? &right[r] : nullptr};
      double row_height = 0;
      std::vector<PlacedCell> row;
      double x = kMarginLeft;
      for (int side = 0; side < 2; ++side) {
        for (int part = 0; part < 2; ++part) {
          const double w = col[side * 2 + part];
          if (cells[side]) {
            const std::string& text = part == 0 ? cells[side]->first : cells[side]->second;
            GPtr<PangoLayout> l = make_layout({Run{clean(text), part == 0}}, table_font_.get(), w - 2 * pad,
                                              PANGO_ALIGN_LEFT);
            int h = 0;
            pango_layout_get_size(l.get(), nullptr, &h);
            row_height = std::max(row_height, to_points(h));
            row.push_back({l.get(), x + pad, 0});
            table_layouts_.push_back(std::move(l));
          }
          x += w;
        }
      }
      row_height += 2 * pad;
      for (PlacedCell& c : row) {
        c.y = y + pad;
        cells_.push_back(c);
      }
      // Rules: the row's box and its column separators.
      double cx = kMarginLeft;
      rules_.push_back({kMarginLeft, y, kTextWidth, row_height});
      for (int i = 0; i < 3; ++i) {
        cx += col[i];
        rules_.push_back({cx, y, 0, row_height});
      }
      y += row_height;
    }
    cursor_ = y + paragraph_gap_;
  }

  // A centred bold heading, kept with the first two lines of what follows.
  void heading(std::string_view text) {
    add({Run{std::string(text), true}}, PANGO_ALIGN_CENTER, paragraph_gap_ * 1.2, 2);
  }
  void paragraph(std::vector<Run> runs, int keep_with_next = 0) {
    for (Run& r : runs) r.text = clean(r.text);
    add(std::move(runs), PANGO_ALIGN_LEFT, paragraph_gap_, keep_with_next);
  }
  // Lines set one under the other with no paragraph gap between them.
  void tight_line(std::string_view text) { add({Run{clean(text), false}}, PANGO_ALIGN_LEFT, 0, 0); }

  // Places every block's lines on pages. Returns the page count.
  int paginate() {
    int page = 0;
    double y = cursor_;
    const double bottom = kPageHeight - kMarginBottom;
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      Block& block = blocks_[b];
      const bool top_of_page = y <= kMarginTop + 0.01;
      if (!top_of_page) y += block.space_before;
      // Keep a heading with the start of what follows it.
      double need = block_height(block);
      if (block.keep_with_next > 0 && b + 1 < blocks_.size())
        need += blocks_[b + 1].space_before + first_lines_height(blocks_[b + 1], block.keep_with_next);
      if (!top_of_page && y + need > bottom && need <= bottom - kMarginTop) {
        ++page;
        y = kMarginTop;
      }
      PangoLayoutIter* it = pango_layout_get_iter(block.layout.get());
      do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, nullptr, &logical);
        const double h = std::max(to_points(logical.height), line_height_ * 0.5);
        const double ascent = to_points(pango_layout_iter_get_baseline(it) - logical.y);
        if (y + h > bottom && y > kMarginTop + 0.01) {
          ++page;
          y = kMarginTop;
        }
        PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle own;
        pango_layout_line_get_extents(line, nullptr, &own);
        lines_.push_back({line, block.x + to_points(logical.x - own.x), y + ascent, page});
        y += h;
      } while (pango_layout_iter_next_line(it));
      pango_layout_iter_free(it);
    }
    pages_ = page + 1;
    return pages_;
  }

  void draw(cairo_t* cr) {
    std::size_t next = 0;
    for (int page = 0; page < pages_; ++page) {
      cairo_set_source_rgb(cr, 0, 0, 0);
      if (page == 0) {
        cairo_set_line_width(cr, 0.6);
        for (const auto& r : rules_) {
          if (r.w == 0) {
            cairo_move_to(cr, r.x, r.y);
            cairo_line_to(cr, r.x, r.y + r.h);
          } else {
            cairo_rectangle(cr, r.x, r.y, r.w, r.h);
          }
        }
        cairo_stroke(cr);
        for (const PlacedCell& c : cells_) {
          cairo_move_to(cr, c.x, c.y);
          pango_cairo_show_layout(cr, c.layout);
        }
      }
      for (; next < lines_.size() && lines_[next].page == page; ++next) {
        cairo_move_to(cr, lines_[next].x, lines_[next].baseline);
        pango_cairo_show_layout_line(cr, lines_[next].line);
      }
      if (options_.page_numbers) draw_page_number(cr, page);
      cairo_show_page(cr);
    }
  }

 private:
  struct Rule {
    double x, y, w, h;  // w == 0: a vertical line of height h
  };

  struct FontDescFree {
    void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
  };

  // A layout of `runs`. With `spaces_only`, lines break only at spaces: Pango's own breaking
  // (UAX #14) also breaks after '/' and inside hyphenated words, which the reader, joining lines
  // with a space, would read back as "5%/ Dextromethorphan". The breaks are chosen greedily from
  // the words' positions on one unwrapped line and written into the text as '\n' (each replacing
  // the run of spaces it falls on, as the text writer drops them); Pango still wraps, at the full
  // width, only a line holding a word longer than the width.
  GPtr<PangoLayout> make_layout(const std::vector<Run>& runs, const PangoFontDescription* font, double width,
                                PangoAlignment align, bool spaces_only = false) {
    std::string text;
    struct Span {
      std::size_t start, end;
      bool bold, italic;
    };
    std::vector<Span> spans;
    for (const Run& r : runs) {
      spans.push_back({text.size(), text.size() + r.text.size(), r.bold, r.italic});
      text += r.text;
    }
    GPtr<PangoLayout> layout(pango_layout_new(context_));
    pango_layout_set_font_description(layout.get(), font);
    auto set = [&](const std::string& t, const std::vector<Span>& sp) {
      PangoAttrList* attrs = pango_attr_list_new();
      for (const Span& s : sp) {
        if (s.bold) {
          PangoAttribute* a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
          a->start_index = static_cast<guint>(s.start);
          a->end_index = static_cast<guint>(s.end);
          pango_attr_list_insert(attrs, a);
        }
        if (s.italic) {
          PangoAttribute* a = pango_attr_style_new(PANGO_STYLE_ITALIC);
          a->start_index = static_cast<guint>(s.start);
          a->end_index = static_cast<guint>(s.end);
          pango_attr_list_insert(attrs, a);
        }
      }
      pango_layout_set_text(layout.get(), t.data(), static_cast<int>(t.size()));
      pango_layout_set_attributes(layout.get(), attrs);
      pango_attr_list_unref(attrs);
    };
    set(text, spans);
    if (spaces_only && !text.empty()) {
      // x of every cluster start on the unwrapped line.
      std::vector<int> x(text.size() + 1, -1);
      PangoLayoutIter* it = pango_layout_get_iter(layout.get());
      do {
        PangoRectangle r;
        pango_layout_iter_get_cluster_extents(it, nullptr, &r);
        const int index = pango_layout_iter_get_index(it);
        if (index >= 0 && static_cast<std::size_t>(index) < text.size()) x[static_cast<std::size_t>(index)] = r.x;
      } while (pango_layout_iter_next_cluster(it));
      pango_layout_iter_free(it);
      int total = 0;
      pango_layout_get_size(layout.get(), &total, nullptr);
      x[text.size()] = total;
      auto x_at = [&](std::size_t i) {
        while (i < text.size() && x[i] < 0) ++i;  // inside a cluster: the next cluster's start
        return x[i];
      };
      const int limit = to_pango(width) - PANGO_SCALE / 2;  // half a point of slack for rounding
      // Words [ws, we) and the breaks (space runs [a, b)) between them.
      std::vector<std::pair<std::size_t, std::size_t>> breaks;
      std::size_t first = text.find_first_not_of(' ');
      std::size_t last = text.find_last_not_of(' ');
      if (first == std::string::npos) first = last = 0;
      else ++last;
      std::size_t line_start = first;
      std::size_t prev_end = std::string::npos;  // end of the last word placed on the line
      std::size_t i = first;
      while (i < last) {
        std::size_t we = text.find(' ', i);
        if (we == std::string::npos || we > last) we = last;
        if (prev_end != std::string::npos && x_at(we) - x_at(line_start) > limit) {
          breaks.emplace_back(prev_end, i);
          line_start = i;
        }
        prev_end = we;
        i = text.find_first_not_of(' ', we);
        if (i == std::string::npos) i = last;
      }
      std::string out;
      out.reserve(text.size());
      std::vector<std::size_t> map(text.size() + 1);
      std::size_t b = 0;
      for (std::size_t k = 0; k <= text.size(); ++k) {
        map[k] = out.size();
        if (k == text.size()) break;
        if (k < first || k >= last) continue;
        if (b < breaks.size() && k >= breaks[b].first) {
          if (k == breaks[b].first) out += '\n';
          if (k + 1 == breaks[b].second) ++b;
          continue;
        }
        out += text[k];
      }
      for (Span& s : spans) {
        s.start = map[s.start];
        s.end = map[s.end];
      }
      text = std::move(out);
      set(text, spans);
    }
    pango_layout_set_width(layout.get(), to_pango(width));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    return layout;
  }

  void add(std::vector<Run> runs, PangoAlignment align, double space_before, int keep_with_next) {
    Block b;
    b.layout = make_layout(runs, body_font_.get(), kTextWidth, align, /*spaces_only=*/true);
    b.space_before = space_before;
    b.keep_with_next = keep_with_next;
    blocks_.push_back(std::move(b));
  }

  static double block_height(const Block& b) {
    int h = 0;
    pango_layout_get_size(b.layout.get(), nullptr, &h);
    return to_points(h);
  }
  static double first_lines_height(const Block& b, int n) {
    PangoLayoutIter* it = pango_layout_get_iter(b.layout.get());
    double h = 0;
    int i = 0;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      h += to_points(logical.height);
    } while (++i < n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return h;
  }

  // "Page i of n", centred in the bottom margin, drawn as filled glyph outlines: the reader and
  // pdftotext see no text there (see pdf_writer.h).
  void draw_page_number(cairo_t* cr, int page) {
    std::string text = "Page " + std::to_string(page + 1) + " of " + std::to_string(pages_);
    GPtr<PangoLayout> l = make_layout({Run{text, false}}, footer_font_.get(), kTextWidth, PANGO_ALIGN_CENTER);
    cairo_move_to(cr, kMarginLeft, kPageHeight - kMarginBottom + 24);
    pango_cairo_layout_path(cr, l.get());
    cairo_fill(cr);
  }

  const PdfOptions& options_;
  PangoContext* context_;
  std::unique_ptr<PangoFontDescription, FontDescFree> body_font_, table_font_, footer_font_;
  double line_height_ = 12;
  double paragraph_gap_ = 10;
  double cursor_ = kMarginTop;  // where the body starts on page 1
  std::vector<GPtr<PangoLayout>> table_layouts_;
  std::vector<PlacedCell> cells_;
  std::vector<Rule> rules_;
  std::vector<Block> blocks_;
  std::vector<PlacedLine> lines_;
  int pages_ = 1;
};

// "<request>:" in bold italic, then the decision word in plain type; the partial-authorisation
// sentence as writer.cc writes it.
std::vector<Run> item_heading(const DisputedItem& item) {
  std::string h;
  if (item.original_request) {
    h += *item.original_request + " was the original request. ";
    if (item.authorized_portion) h += *item.authorized_portion + " was authorized by the Claims Administrator. ";
    h += "The remaining IMR eligible portion of the original request, " + item.request + " is";
  } else {
    h += item.request;
  }
  h += ":";
  return {Run{h, true, true}, Run{" ", false}, Run{item.decision == Decision::kUpheld ? "Upheld" : "Overturned", false}};
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void build(const Letter& letter, PdfBuilder& b) {
  std::vector<std::pair<std::string, std::string>> left, right;
  auto field = [](auto& column, const char* label, const std::optional<std::string>& v, bool is_date) {
    if (v) column.emplace_back(label, is_date ? letter_date(*v) : *v);
  };
  field(left, "Case Number:", letter.case_number, false);
  field(left, "Date Assigned:", letter.date_assigned, true);
  field(left, "Decision Date:", letter.decision_date, true);
  if (letter.priority)
    left.emplace_back("Priority:", letter.priority == Priority::kStandard ? "Standard" : "Expedited");
  field(right, "Date of Injury:", letter.date_of_injury, true);
  field(right, "UR Denial Date:", letter.ur_denial_date, true);
  field(right, "Application Received:", letter.application_received, true);
  if (left.empty() && !right.empty()) std::swap(left, right);
  if (!left.empty()) b.header_table(left, right);

  b.heading(kHowMadeHeading);
  // The qualifications: the paragraph, then (list form) one line per credential.
  const std::string qualifications = qualifications_paragraph(letter.reviewer);
  std::size_t nl = qualifications.find('\n');
  b.paragraph({Run{qualifications.substr(0, nl), false}});
  if (nl != std::string::npos) {
    std::size_t start = nl + 1;
    bool first = true;
    while (start <= qualifications.size()) {
      std::size_t end = qualifications.find('\n', start);
      std::string line = qualifications.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (first) b.paragraph({Run{line, false}}, 1);
      else b.tight_line(line);
      first = false;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }

  if (letter.clinical_summary) {
    b.heading(kSummaryHeading);
    b.paragraph({Run{std::string(kSummaryIntro), false}});
    b.paragraph({Run{*letter.clinical_summary, false}});
  }

  b.heading(kIssuesHeading);
  b.paragraph({Run{std::string(kIssuesIntro), false}});
  for (const DisputedItem& item : letter.items) {
    b.paragraph(item_heading(item), 1);
    if (item.claims_administrator_basis)
      b.paragraph({Run{"Claims Administrator guideline:", true}, Run{" " + item.claims_administrator_basis->text, false}});
    if (item.reviewer_basis)
      b.paragraph({Run{"MAXIMUS guideline:", true}, Run{" " + item.reviewer_basis->text, false}});
    if (item.rationale) b.paragraph({Run{"Decision rationale:", true}, Run{" " + *item.rationale, false}});
  }
}

// ISO 8601 for the PDF's creation date: the decision date when known, so the same record gives
// the same bytes (with the same fonts).
std::string creation_date(const Letter& letter) {
  for (const auto* d : {&letter.decision_date, &letter.date_assigned}) {
    if (*d && (*d)->size() == 10 && (**d)[4] == '-' && (**d)[7] == '-') return **d + "T00:00:00Z";
  }
  return "2000-01-01T00:00:00Z";
}

}  // namespace

Result<std::string> render_letter_pdf(const Letter& letter, const PdfOptions& options) {
  std::string out;
  std::unique_ptr<cairo_surface_t, CairoDestroy> surface(
      cairo_pdf_surface_create_for_stream(append_to_string, &out, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return internal_error(std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  std::string title = "Final Determination Letter";
  if (letter.case_number) title += " " + clean(*letter.case_number);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "imr");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, creation_date(letter).c_str());
  {
    std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));
    GPtr<PangoContext> context(pango_cairo_create_context(cr.get()));
    // Points on the page are Pango's points: no 96-dpi scaling, and no hinting of metrics, so the
    // layout is the same whatever the device.
    pango_cairo_context_set_resolution(context.get(), 72.0);
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context.get(), fo);
    cairo_font_options_destroy(fo);

    PdfBuilder builder(options, context.get());
    build(letter, builder);
    builder.paginate();
    builder.draw(cr.get());
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
      return internal_error(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr.get())));
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return internal_error(std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  return out;
}

Status write_letter_pdf(const Letter& letter, const std::string& path, const PdfOptions& options) {
  auto pdf = render_letter_pdf(letter, options);
  if (!pdf.ok()) return pdf.status();
  return files::write_file(path, *pdf);
}

}  // namespace imr::letter
