"""Reference for BNSL Studio's CSV observable log (src/io/csv_log.rs).

Run from the repository root: /work/refvenv/bin/python tests/reference/csv_log_fixtures.py

Writes tests/fixtures/csv_log/python_csv.json: a set of float64 values (as bit patterns) with
Python's repr of each, and the exact text Python's csv module (RFC 4180 quoting, CRLF) writes
for a header with awkward column names and rows of those values. tests/io_csv_log.rs checks
that our formatter and writer produce the same text byte for byte.
"""

import csv
import io
import json
import os
import random
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'csv_log')


def bits(x):
    return '%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]


def main():
    rng = random.Random(20261124)
    values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2 + 0.1, 1 / 3, 2.5, 1e-4, 9.999e-5, 1e-5, 1e15,
              1e16, 9007199254740993.0, 123456789012345678.0, 1e22, 1e-300, 5e-324,
              2.2250738585072014e-308, 1.7976931348623157e308, float('inf'), float('-inf'),
              float('nan'), 6.02214076e23, -1.380649e-23]
    for _ in range(300):
        # random bit patterns (finite) and random values at everyday magnitudes
        x = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
        if x == x and abs(x) != float('inf'):
            values.append(x)
        values.append(rng.uniform(-10, 10) * 10 ** rng.randint(-8, 20))
    header = ['step', 'T, kinetic', 'say "hi"', 'line\nbreak', 'plain']
    buf = io.StringIO(newline='')
    w = csv.writer(buf)  # excel dialect: ',' delimiter, '"' quote, QUOTE_MINIMAL, '\r\n'
    w.writerow(header)
    rows = [values[i:i + 5] for i in range(0, len(values) - len(values) % 5, 5)]
    for r in rows:
        w.writerow(r)  # csv writes floats with repr()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'python_csv.json'), 'w') as fh:
        json.dump(
            {
                'values': [{'bits': bits(v), 'repr': repr(v)} for v in values],
                'header': header,
                'rows': [[bits(v) for v in r] for r in rows],
                'csv': buf.getvalue(),
            },
            fh,
        )


if __name__ == '__main__':
    main()
