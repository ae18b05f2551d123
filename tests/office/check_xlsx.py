"""Independent check of cchc's workbooks with openpyxl (run by tests/sheets.rs).

usage: python3 check_xlsx.py agency FILE.xlsx   # an agency sheet from `cchc sheet`
       python3 check_xlsx.py export FILE.xlsx   # the workbook from `cchc export --format xlsx`
Exits non-zero with the failed expectation on stderr.
"""
import datetime
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


def check_export(path):
    wb = openpyxl.load_workbook(path)
    for name in ("Nhiệm vụ", "Chỉ tiêu", "Số đo", "Nhật ký"):
        expect(name in wb.sheetnames, f"no sheet {name}")
        ws = wb[name]
        expect(ws.freeze_panes == "A2", f"{name}: freeze panes at {ws.freeze_panes}")
        expect(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), f"{name}: no autofilter")
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


mode, path = sys.argv[1:3]
{"agency": check_agency, "export": check_export}[mode](path)
print("ok")
