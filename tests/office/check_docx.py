"""Reads a .docx made by `cchc report --format docx` with python-docx (an independent reader)
and checks what Nghị định 30/2020/NĐ-CP asks of a báo cáo's layout and what the report promises:
the ministry's five sections in order, Times New Roman throughout (headers included), page
numbers at the top from page 2, table header rows that repeat, the two charts as pictures, the
document tagged vi-VN and its parts compressed.

Usage: python3 check_docx.py REPORT.docx [EXPECTED TEXT ...]
Exits 0 when every check passes; otherwise prints one line per failure and exits 1.
"""

import sys
import zipfile

import docx
from docx.oxml.ns import qn
from docx.shared import Mm

path, expected = sys.argv[1], sys.argv[2:]
document = docx.Document(path)
failures = []


def texts():
    for p in document.paragraphs:
        yield p
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


paragraphs = list(texts())
text = "\n".join(p.text for p in paragraphs)

for needle in [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "BÁO CÁO",
    "Kính gửi",
    "Nơi nhận",
    *expected,
]:
    if needle not in text:
        failures.append(f"text not found: {needle!r}")
# The decree's signature block has no "(Ký, ghi rõ họ tên)".
if "Ký, ghi rõ họ tên" in text:
    failures.append("the signature block says (Ký, ghi rõ họ tên), which is not NĐ 30 wording")

# The five sections, in the outline's order, as body paragraphs.
sections = [
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
    "III. ĐÁNH GIÁ CHUNG",
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    "V. ĐỀ XUẤT, KIẾN NGHỊ",
]
body = [p.text for p in document.paragraphs]
found = [body.index(s) if s in body else -1 for s in sections]
if -1 in found or found != sorted(found):
    failures.append(f"sections missing or out of order: {list(zip(sections, found))}")

section = document.sections[0]
if abs(section.page_width - Mm(210)) > Mm(1) or abs(section.page_height - Mm(297)) > Mm(1):
    failures.append(
        f"page is {section.page_width.mm:.1f} x {section.page_height.mm:.1f} mm, not A4"
    )
for name, value, low, high in [
    ("top", section.top_margin, 20, 25),
    ("bottom", section.bottom_margin, 20, 25),
    ("left", section.left_margin, 30, 35),
    ("right", section.right_margin, 15, 20),
]:
    if not (Mm(low) - Mm(0.1) <= value <= Mm(high) + Mm(0.1)):
        failures.append(f"{name} margin {value.mm:.1f} mm is outside {low}-{high} mm")

# Every run with text is in Times New Roman: its own font, or the document's default when it
# names none (the page number's run). Headers count too.
defaults = document.styles.element.find(qn("w:docDefaults"))
default_fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
default_font = default_fonts.get(qn("w:ascii")) if default_fonts is not None else None
header_paragraphs = [
    p for s in document.sections for h in (s.header, s.first_page_header) for p in h.paragraphs
]
fonts, runs = set(), 0
for p in paragraphs + header_paragraphs:
    for run in p.runs:
        if run.text.strip():
            runs += 1
            fonts.add(run.font.name or default_font)
if fonts != {"Times New Roman"} or runs < 100:
    failures.append(f"fonts used in {runs} runs: {sorted(map(str, fonts))}, not only Times New Roman")
for p in document.paragraphs:
    if p.text in sections:
        for run in p.runs:
            if run.font.size is None or not 13 <= run.font.size.pt <= 14:
                failures.append(f"heading {p.text!r} is not 13-14 pt")

# Page numbers: a PAGE field centred in each section's header, none on its first page.
for i, s in enumerate(document.sections):
    header = s.header._element.xml
    if "PAGE" not in header or s.different_first_page_header_footer is not True:
        failures.append(f"section {i + 1}: no page number in the header, or one on page 1")
    if "PAGE" in s.first_page_header._element.xml:
        failures.append(f"section {i + 1}: a page number on its first page")

# The two-column header is the first block, a table without borders.
if not document.tables or len(document.tables[0].columns) != 2:
    failures.append("the document does not open with the two-column header table")
else:
    header = document.tables[0]
    left, right = header.rows[0].cells[0].text, header.rows[0].cells[1].text
    if "Số:" not in left or "CỘNG HÒA" not in right:
        failures.append(f"header table is not issuer | motto: {left!r} | {right!r}")
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    if borders is not None and any(
        b.get(qn("w:val")) not in ("nil", "none") for b in borders
    ):
        failures.append("header table has borders")

# Every data table (the bordered ones: not the letterhead or the signature) repeats its first
# row on each page it runs over.
data_tables = [t for t in document.tables if len(t.columns) > 2]
if len(data_tables) < 3:
    failures.append(f"only {len(data_tables)} data tables")
for t in data_tables:
    first = t.rows[0]._tr
    props = first.trPr
    if props is None or props.find(qn("w:tblHeader")) is None:
        failures.append(f"table headed {t.rows[0].cells[0].text!r} does not repeat its header row")
    for row in t.rows[1:]:
        if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None:
            failures.append(f"a body row of table {t.rows[0].cells[0].text!r} is a header row")

# The two charts are pictures in the body.
if len(document.inline_shapes) != 2:
    failures.append(f"{len(document.inline_shapes)} pictures, not the two charts")

# The language, and every part compressed.
lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
if lang is None or lang.get(qn("w:val")) != "vi-VN":
    failures.append("the document's default language is not vi-VN")
with zipfile.ZipFile(path) as z:
    stored = [i.filename for i in z.infolist() if not i.is_dir() and i.compress_type != zipfile.ZIP_DEFLATED]
    if stored:
        failures.append(f"parts not compressed: {stored}")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
