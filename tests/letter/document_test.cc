#include "imr/letter/document.h"

#include <gtest/gtest.h>

namespace imr::letter {
namespace {

TEST(Document, PlainTextLinesWithParagraphBreaksAndPages) {
  auto d = document_from_text("First line  \nsecond\n\nthird\n\fpage two\n", "x.txt");
  ASSERT_EQ(d.lines.size(), 4u);
  EXPECT_EQ(d.shape, "text");
  EXPECT_EQ(d.lines[0].text, "First line");
  EXPECT_FALSE(d.lines[1].blank_before);
  EXPECT_TRUE(d.lines[2].blank_before);
  EXPECT_EQ(d.lines[3].page, 1);
  EXPECT_EQ(d.lines[3].text, "page two");
  EXPECT_FALSE(d.lines[0].bold.has_value());
  EXPECT_FALSE(d.has_font_info);
}

TEST(Document, SeedShapeDropsLayoutBlankLinesButKeepsParagraphs) {
  std::string seed = " HEADING \n\nline one \n\nline two \n\n \n\nnew paragraph \n\nmore \n\nand more \n\nend \n\n";
  auto d = document_from_text(seed, "s.txt");
  EXPECT_EQ(d.shape, "seed");
  ASSERT_EQ(d.lines.size(), 7u);
  EXPECT_FALSE(d.lines[1].blank_before);
  EXPECT_FALSE(d.lines[2].blank_before);
  EXPECT_TRUE(d.lines[3].blank_before);
  EXPECT_EQ(d.lines[3].text, "new paragraph");
}

TEST(Document, LayoutHeaderRowsSplitIntoCells) {
  std::string t =
      "Case Number:          CM16-0000001\n"
      "Date Assigned:        12/08/2016                      Date of Injury:      10/25/2016\n"
      "            HOW THE IMR FINAL DETERMINATION WAS MADE\n"
      "Body text   with   wide gaps stays one line.\n";
  auto d = document_from_text(t, "l.txt");
  EXPECT_EQ(d.shape, "layout");
  ASSERT_EQ(d.lines.size(), 5u);
  EXPECT_EQ(d.lines[1].text, "Date Assigned: 12/08/2016");
  EXPECT_EQ(d.lines[2].text, "Date of Injury: 10/25/2016");
  EXPECT_EQ(d.lines[3].text, "HOW THE IMR FINAL DETERMINATION WAS MADE");
  EXPECT_EQ(d.lines[4].text, "Body text with wide gaps stays one line.");
}

TEST(Document, CrLfAndInvalidBytesAreHandled) {
  auto d = document_from_text("a\r\nb\xFF\r\n", "c.txt");
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[0].text, "a");
  EXPECT_EQ(d.lines[1].text, "b\xEF\xBF\xBD");
}

}  // namespace
}  // namespace imr::letter
