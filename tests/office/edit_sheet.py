"""Fills in a cchc agency sheet as an agency would: edits ONLY unlocked cells, then saves.

usage: python3 edit_sheet.py IN.xlsx OUT.xlsx EDITS.json
EDITS.json: {"Nhiệm vụ": {"G7": "Hoàn thành", "I7": "date:2026-11-10", "H8": 40}, ...}
A value "date:YYYY-MM-DD" is written as a real date cell. Editing a locked cell is an error:
the sheet's protection is what an office user meets, so the test must respect it too.
"""
import datetime
import json
import sys

import openpyxl

src, dst, edits_path = sys.argv[1:4]
with open(edits_path, encoding="utf-8") as f:
    edits = json.load(f)
wb = openpyxl.load_workbook(src)
for sheet, cells in edits.items():
    ws = wb[sheet]
    if not ws.protection.sheet:
        sys.exit(f"{sheet}: sheet protection is off")
    for ref, value in cells.items():
        cell = ws[ref]
        if cell.protection.locked:
            sys.exit(f"{sheet}!{ref} is locked; an agency cannot edit it")
        if isinstance(value, str) and value.startswith("date:"):
            value = datetime.datetime.strptime(value[5:], "%Y-%m-%d")
            cell.value = value
            cell.number_format = "dd/mm/yyyy"
        else:
            cell.value = value
wb.save(dst)
