"""Reads a .docx made by `cchc report --format docx` with python-docx (an independent reader)
and checks what Nghị định 30/2020/NĐ-CP asks of a báo cáo's layout.

Usage: python3 check_docx.py REPORT.docx [EXPECTED TEXT ...]
Exits 0 when every check passes; otherwise prints one line per failure and exits 1.
"""

import sys

import docx
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
    "(Ký, ghi rõ họ tên)",
    "I. KẾT QUẢ THỰC HIỆN",
    "II. TỒN TẠI, HẠN CHẾ",
    "III. NHIỆM VỤ TRỌNG TÂM QUÝ TỚI",
    *expected,
]:
    if needle not in text:
        failures.append(f"text not found: {needle!r}")

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

# Every run with text is in Times New Roman; body text is 13-14 pt.
fonts, sizes = set(), set()
for p in paragraphs:
    for run in p.runs:
        if run.text.strip():
            fonts.add(run.font.name)
            if run.font.size is not None:
                sizes.add(run.font.size.pt)
if fonts != {"Times New Roman"}:
    failures.append(f"fonts used: {sorted(map(str, fonts))}, not only Times New Roman")
body = [p for p in document.paragraphs if p.text.startswith(("I. ", "II. ", "III. "))]
for p in body:
    for run in p.runs:
        if run.font.size is None or not 13 <= run.font.size.pt <= 14:
            failures.append(f"heading {p.text!r} is not 13-14 pt")

# The two-column header is the first block, a table without borders.
if not document.tables or len(document.tables[0].columns) != 2:
    failures.append("the document does not open with the two-column header table")
else:
    header = document.tables[0]
    left, right = header.rows[0].cells[0].text, header.rows[0].cells[1].text
    if "Số:" not in left or "CỘNG HÒA" not in right:
        failures.append(f"header table is not issuer | motto: {left!r} | {right!r}")
    borders = header._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders"))
    if borders is not None and any(
        b.get(docx.oxml.ns.qn("w:val")) not in ("nil", "none") for b in borders
    ):
        failures.append("header table has borders")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
