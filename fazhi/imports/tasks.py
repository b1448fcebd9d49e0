"""Background jobs of the imports app (django-tasks; the database queue's worker runs in `fazhi serve`)."""

from __future__ import annotations

from django_tasks import task


@task()
def export_build(*, export_id: int, query: dict[str, str], party_ids: list[int] | None) -> None:
    from .services import export_run

    export_run(export_id=export_id, query=query, party_ids=party_ids)


@task()
def import_build(*, batch_id: int, dry_run: bool) -> None:
    from .services import import_batch_job

    import_batch_job(batch_id=batch_id, dry_run=dry_run)
