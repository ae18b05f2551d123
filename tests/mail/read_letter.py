"""Reads a letter made by `cchc remind` with python-docx (an independent reader): prints its
paragraphs and its tables' rows (cells' text) as JSON, for the test to check the NĐ 30 parts
(Số, V/v, Kính gửi, Nơi nhận) and the tasks the letter names.

Usage: python3 read_letter.py LETTER.docx
"""

import json
import sys

import docx

document = docx.Document(sys.argv[1])
print(
    json.dumps(
        {
            "paragraphs": [p.text for p in document.paragraphs],
            "tables": [
                [[cell.text for cell in row.cells] for row in table.rows]
                for table in document.tables
            ],
        },
        ensure_ascii=False,
    )
)
