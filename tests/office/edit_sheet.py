"""Fills in a cchc agency sheet as an agency would: edits ONLY unlocked cells, then saves.

usage: python3 edit_sheet.py IN.xlsx OUT.xlsx EDITS.json
EDITS.json: {"Nhiệm vụ": {"G7": "Hoàn thành", "I7": "date:2026-11-10", "H8": 40}, ...}
A value "date:YYYY-MM-DD" is written as a real date cell; "serial:N" as the number N shown as a
date (what a date cell holds); a text starting with "=" is a formula, saved without a value as
openpyxl does. Editing a locked cell is an error: the sheet's protection is what an office user
meets, so the test must respect it too — unless the edits say "!force": true, for the agency
that took the protection off. Then also:
  "!delete": {"Nhiệm vụ": [8]}               deletes rows (1-based, as shown), last first;
  "!append": {"Nhiệm vụ": [[null, "x", ...]]}  adds rows after the last one;
  "!record": {"B7": "4"}                      edits the hidden record sheet "cchc".
"""
import datetime
import json
import sys

import openpyxl

src, dst, edits_path = sys.argv[1:4]
with open(edits_path, encoding="utf-8") as f:
    edits = json.load(f)
force = edits.pop("!force", False)
deletes = edits.pop("!delete", {})
appends = edits.pop("!append", {})
record = edits.pop("!record", {})
wb = openpyxl.load_workbook(src)


def put(cell, value):
    if isinstance(value, str) and value.startswith("date:"):
        cell.value = datetime.datetime.strptime(value[5:], "%Y-%m-%d")
        cell.number_format = "dd/mm/yyyy"
    elif isinstance(value, str) and value.startswith("serial:"):
        cell.value = float(value[7:])
        cell.number_format = "dd/mm/yyyy"
    else:
        cell.value = value


for sheet, cells in edits.items():
    ws = wb[sheet]
    if not ws.protection.sheet:
        sys.exit(f"{sheet}: sheet protection is off")
    for ref, value in cells.items():
        cell = ws[ref]
        if cell.protection.locked and not force:
            sys.exit(f"{sheet}!{ref} is locked; an agency cannot edit it")
        put(cell, value)
if (deletes or appends or record) and not force:
    sys.exit("deleting, adding rows or editing the record needs \"!force\"")
for sheet, rows in deletes.items():
    for row in sorted(rows, reverse=True):
        wb[sheet].delete_rows(row)
for sheet, rows in appends.items():
    for values in rows:
        wb[sheet].append(values)
for ref, value in record.items():
    put(wb["cchc"][ref], value)
wb.save(dst)
