"""Independent check of cchc's workbooks with openpyxl (run by tests/sheets.rs).

usage: python3 check_xlsx.py agency FILE.xlsx   # an agency sheet from `cchc sheet`
       python3 check_xlsx.py export FILE.xlsx   # the workbook from `cchc export --format xlsx`
Exits non-zero with the failed expectation on stderr.
"""
import datetime
import re
import sys

import openpyxl


def fail(msg):
    sys.exit("check_xlsx: " + msg)


def expect(cond, msg):
    if not cond:
        fail(msg)


def check_print(ws):
    expect(ws.page_setup.paperSize in (9, "9"), f"{ws.title}: paper is not A4 ({ws.page_setup.paperSize})")
    expect(ws.page_setup.orientation == "landscape", f"{ws.title}: not landscape")


def check_agency(path):
    wb = openpyxl.load_workbook(path)
    expect(wb.sheetnames[:2] == ["Nhiệm vụ", "Chỉ tiêu"], f"sheets are {wb.sheetnames}")
    expect(wb["cchc"].sheet_state == "veryHidden", f"the record sheet is {wb['cchc'].sheet_state}, not very hidden")
    ws = wb["Nhiệm vụ"]
    expect(ws["A2"].value.startswith("Cơ quan: "), f"A2 is {ws['A2'].value!r}")
    expect("Năm 2026" in ws["A3"].value, f"A3 is {ws['A3'].value!r}")
    expect(ws["A4"].value.startswith("Lập ngày "), f"A4 is {ws['A4'].value!r}")
    expect(ws["A6"].value == "ID", "header row is not row 6")
    expect(ws.max_row >= 7, "no task rows")
    # Protection, frozen header, autofilter, print setup.
    expect(ws.protection.sheet, "sheet protection is off")
    expect(ws.freeze_panes == "A7", f"freeze panes at {ws.freeze_panes}")
    expect(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A6:"), f"autofilter {ws.auto_filter.ref}")
    check_print(ws)
    expect(ws.print_title_rows == "$6:$6", f"repeated rows {ws.print_title_rows}")
    # Locked and unlocked cells.
    for ref in ("A7", "B7", "C7", "D7", "E7", "F7", "K7"):
        expect(ws[ref].protection.locked, f"{ref} should be locked")
    for ref in ("G7", "H7", "I7", "J7"):
        expect(not ws[ref].protection.locked, f"{ref} should be unlocked")
    # The hidden version column.
    expect(ws.column_dimensions["K"].hidden, "the version column K is not hidden")
    expect(isinstance(ws["K7"].value, (int, float)), f"K7 holds {ws['K7'].value!r}, not a version")
    # Real date cells shown dd/mm/yyyy.
    expect(isinstance(ws["D7"].value, datetime.datetime), f"D7 is {ws['D7'].value!r}, not a date")
    expect(ws["D7"].number_format == "dd/mm/yyyy", f"D7 format {ws['D7'].number_format}")
    # Data validations: the status list, whole number 0-100, a date.
    kinds = {}
    for dv in ws.data_validations.dataValidation:
        kinds[dv.type] = dv
    expect("list" in kinds and "Hoàn thành" in kinds["list"].formula1 and "G7" in str(kinds["list"].sqref),
           "no status drop-down on column G")
    whole = kinds.get("whole")
    expect(whole is not None and whole.formula1 == "0" and whole.formula2 == "100" and "H7" in str(whole.sqref),
           "no whole-number 0-100 validation on column H")
    expect("date" in kinds and "I7" in str(kinds["date"].sqref), "no date validation on column I")
    ind = wb["Chỉ tiêu"]
    expect(ind.protection.sheet, "indicator sheet protection is off")
    expect(ind.freeze_panes == "A7", f"indicator freeze panes at {ind.freeze_panes}")
    check_print(ind)
    if ind.max_row >= 7:
        for ref in ("I7", "J7", "K7"):
            expect(not ind[ref].protection.locked, f"Chỉ tiêu!{ref} should be unlocked")
        expect(ind["A7"].protection.locked, "Chỉ tiêu!A7 should be locked")
        expect(ind["C6"].value == "Số liệu cần nhập" and ind["D6"].value == "Số liệu gốc",
               f"indicator headers {ind['C6'].value!r}, {ind['D6'].value!r}")
        # Each new value says, when the cell is selected, what number to enter.
        prompts = [dv for dv in ind.data_validations.dataValidation if "I7" in str(dv.sqref)]
        expect(prompts and prompts[0].showInputMessage and prompts[0].prompt,
               "no prompt on the new value of row 7")
    # Rows with wrapped titles store their height.
    tall = [r for r in range(7, ws.max_row + 1) if len(ws.cell(r, 3).value or "") > 70]
    expect(all((ws.row_dimensions[r].height or 0) >= 30 for r in tall), "a long title's row is not tall")


def check_export(path):
    wb = openpyxl.load_workbook(path)
    for name in ("Nhiệm vụ", "Chỉ tiêu", "Số đo", "Nhật ký"):
        expect(name in wb.sheetnames, f"no sheet {name}")
        ws = wb[name]
        expect(ws.freeze_panes == "A2", f"{name}: freeze panes at {ws.freeze_panes}")
        expect(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), f"{name}: no autofilter")
        # On paper: A4 landscape, one page wide, the header row on each page, numbered.
        check_print(ws)
        expect(ws.sheet_properties.pageSetUpPr.fitToPage, f"{name}: not fitted to the page")
        expect(ws.page_setup.fitToHeight in (0, "0"), f"{name}: fitted to {ws.page_setup.fitToHeight} pages high")
        expect(ws.print_title_rows == "$1:$1", f"{name}: repeated rows {ws.print_title_rows}")
        expect("&P" in (ws.oddFooter.center.text or ""), f"{name}: no page number in the footer")
    # Names, not codes.
    codes = {"the-che", "tthc", "bo-may", "cong-vu", "tai-chinh", "chinh-quyen-so", "chi-dao",
             "percent", "level", "at-least", "above", "reduce-by"}
    ind = wb["Chỉ tiêu"]
    for row in ind.iter_rows(min_row=2, min_col=3, max_col=5, values_only=True):
        expect(not (set(row) & codes), f"Chỉ tiêu shows codes: {row}")
    expect(ind["C2"].value == "Cải cách thể chế", f"area {ind['C2'].value!r}")
    expect(ind["D2"].value == "Tỷ lệ (%)" and ind["E2"].value == "Đạt tối thiểu",
           f"unit {ind['D2'].value!r}, direction {ind['E2'].value!r}")
    # Times are local and to the minute, as people read them.
    log = wb["Nhật ký"]
    for (at,) in log.iter_rows(min_row=2, min_col=2, max_col=2, values_only=True):
        expect(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", at or ""), f"log time {at!r}")
    expect(log["E2"].value == "Khởi tạo kế hoạch", f"action {log['E2'].value!r}")
    ws = wb["Nhiệm vụ"]
    expect(ws["H1"].value == "Hạn", f"H1 is {ws['H1'].value!r}")
    expect(isinstance(ws["H2"].value, datetime.datetime), "due dates are not date cells")
    expect(ws["H2"].number_format == "dd/mm/yyyy", f"due format {ws['H2'].number_format}")
    labels = {"Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện", "Quá hạn", "Chưa thực hiện"}
    fills = {}
    for row in ws.iter_rows(min_row=2, min_col=9, max_col=9):
        cell = row[0]
        expect(cell.value in labels, f"state {cell.value!r} is not a Vietnamese state name")
        fills.setdefault(cell.value, cell.fill.fgColor.rgb)
    expect(all(f and f != "00000000" for f in fills.values()), f"uncoloured states: {fills}")
    expect(len(set(fills.values())) == len(fills), f"two states share a colour: {fills}")
    # A long title's row is as tall as its wrapped lines.
    tall = [r for r in range(2, ws.max_row + 1) if len(ws.cell(r, 6).value or "") > 70]
    expect(tall and all((ws.row_dimensions[r].height or 0) >= 30 for r in tall),
           f"rows with long titles keep the default height: {[(r, ws.row_dimensions[r].height) for r in tall[:5]]}")
    expect(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", ws["O2"].value or ""), f"updated at {ws['O2'].value!r}")


mode, path = sys.argv[1:3]
{"agency": check_agency, "export": check_export}[mode](path)
print("ok")
