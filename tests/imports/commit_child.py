"""The child process of test_commit_kill: commits an import of N rows and, once the commit has written its
first rows of `TABLE` inside the batch's transaction, writes MARKER and sleeps until it is killed.

    python -m tests.imports.commit_child N TABLE MARKER

The pause is made here, in the test's own process, by a database execute wrapper (Django's documented
hook): the product has no test-only code path.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from fazhi.imports.services import import_run
    from tests.imports.helpers import csv_bytes, mediation_row

    count, table, marker = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    content = csv_bytes([mediation_row(i) for i in range(count)])

    def pause_inside_the_commit(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if (connection.in_atomic_block and sql.lstrip().upper().startswith("INSERT")
                and f'"{table}"' in sql.split("(")[0] and not marker.exists()):
            marker.write_text("inside the commit")
            time.sleep(600)  # the parent kills us here, the transaction still open
        return result

    with connection.execute_wrapper(pause_inside_the_commit):
        result = import_run(acting_user=None, register="people_mediation", content=content, filename="kill.csv")
    print(result.accepted, result.committed)


if __name__ == "__main__":
    main()
