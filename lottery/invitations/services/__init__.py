"""Stage 1 of recruitment: upload an address file, import it, draw, letters.

One module per workflow: ``upload`` (check and store the file, queue its
import), ``address_import`` (the task's work), ``draw``, ``letters`` and
``delete``. Organiser actions are services with an audit event; the long work
(import, rendering) runs in tasks that call the ``*_run`` functions with
primary keys. Each run claims its row first, so a task delivered twice (a
worker crash with late acks) does the work once.

Reads live in ``lottery.invitations.selectors``; the ones callers used to
import from here are re-exported so that ``services.region_counts`` and the
like keep working.
"""

from __future__ import annotations

from ..selectors import (
    csv_lines,
    import_done,
    job_working,
    letters_done,
    letters_pdf_name,
    print_house_rows,
    region_counts,
    round_busy,
    round_contents,
    write_letters_zip,
)
from .address_import import IMPORT_BATCH_ROWS, invitation_round_import_run
from .delete import invitation_round_delete
from .draw import invitation_round_draw
from .letters import (
    LETTERS_PER_BATCH,
    invitation_round_letters_resume,
    invitation_round_letters_start,
    letter_batch_render_run,
)
from .upload import (
    HEADER_PEEK_BYTES,
    check_address_file,
    invitation_round_import_restart,
    invitation_round_upload,
)

__all__ = [
    "HEADER_PEEK_BYTES",
    "IMPORT_BATCH_ROWS",
    "LETTERS_PER_BATCH",
    "check_address_file",
    "csv_lines",
    "import_done",
    "invitation_round_delete",
    "invitation_round_draw",
    "invitation_round_import_restart",
    "invitation_round_import_run",
    "invitation_round_letters_resume",
    "invitation_round_letters_start",
    "invitation_round_upload",
    "job_working",
    "letter_batch_render_run",
    "letters_done",
    "letters_pdf_name",
    "print_house_rows",
    "region_counts",
    "round_busy",
    "round_contents",
    "write_letters_zip",
]
