"""``Case``: the library's front door. The CLI, and later the API and web UI, only wrap it."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from indicia import __version__
from indicia.collect.intake import IntakeContext, run_intake
from indicia.collect.manifest import read_manifest
from indicia.collect.provenance import ProvenanceInput
from indicia.config import CONFIG_NAME, HEAD_NAME, SQLITE_NAME, CaseConfig
from indicia.custody.events import CustodyEvent, pending, utc_now
from indicia.custody.export import ExportResult, prepare_folder, write_export
from indicia.custody.log import ChainWriter, iter_stored, to_event
from indicia.custody.verify import Anchor, read_head_file, verify
from indicia.errors import CaseError, ErrorCode
from indicia.models import Document, IntakeItem, IntakeReport, Provenance, VerificationReport
from indicia.settings import Settings, get_settings
from indicia.store import migrations
from indicia.store.blobs import BlobStore
from indicia.store.database import Database, normalise_url, public_url
from indicia.store.schema import case_info, custody_events, documents, provenance

if TYPE_CHECKING:  # the analysis stack (PDF, HTML, OCR libraries) loads only when used
    from collections import Counter

    from indicia.analyze.stage import AnalyzeReport, ProgressFn
    from indicia.detect.query import StoredFinding, StoredQuantity
    from indicia.search.engine import Hit


class Case:
    """An investigation: its originals, their provenance and the custody log.

    Create one with :meth:`create`, open it with :meth:`open`; close it (or use ``with``).
    """

    def __init__(self, root: Path, config: CaseConfig, db: Database, settings: Settings) -> None:
        self.root = root
        self.config = config
        self.db = db
        self.settings = settings
        self.blobs = BlobStore(config.blob_path(root))

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        database_url: str | None = None,
        blob_dir: str | os.PathLike[str] | None = None,
        settings: Settings | None = None,
    ) -> Case:
        """Create a case folder: SQLite ``case.db`` by default, or PostgreSQL by URL."""
        settings = settings or get_settings()
        root = Path(path).absolute()
        if (root / CONFIG_NAME).exists() or (root.exists() and any(root.iterdir())):
            raise CaseError(ErrorCode.CASE_EXISTS, f"{root} already exists and is not empty")
        url = normalise_url(database_url) if database_url else None
        config = CaseConfig(
            case_id=str(uuid.uuid4()),
            created_at=utc_now(),
            database_url=public_url(url) if url else None,
            blob_dir=str(blob_dir) if blob_dir else "blobs",
        )
        root.mkdir(parents=True, exist_ok=True)
        db = cls._database(root, config, settings, password_from=url)
        case = cls(root, config, db, settings)
        case.blobs.create()
        try:
            with db.write() as conn:
                if (
                    conn.execute(select(func.count()).select_from(custody_events)).scalar()
                    if migrations.current_version(conn)
                    else 0
                ):
                    raise CaseError(ErrorCode.CASE_EXISTS, "the database already holds a case")
                migrations.migrate(conn)
                conn.execute(
                    case_info.insert(),
                    [
                        {"key": "case_id", "value": config.case_id},
                        {"key": "created_at", "value": config.created_at},
                    ],
                )
                chain = ChainWriter(conn)
                chain.add(
                    pending(
                        settings.actor,
                        "case.created",
                        f"case:{config.case_id}",
                        {
                            "case_id": config.case_id,
                            "indicia_version": __version__,
                            "backend": db.dialect,
                            "database_url": config.database_url,
                            "blob_dir": config.blob_dir,
                            "schema_version": migrations.LATEST,
                        },
                        at=config.created_at,
                    )
                )
                chain.flush()
                head = (chain.seq, chain.head)
        except BaseException:
            db.close()
            raise
        config.write(root)
        case._write_head(*head)
        return case

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        database_url: str | None = None,
        settings: Settings | None = None,
    ) -> Case:
        """Open an existing case, applying any pending schema migration."""
        settings = settings or get_settings()
        root = Path(path).absolute()
        config = CaseConfig.read(root)
        override = database_url or settings.database_url
        db = cls._database(root, config, settings, normalise_url(override) if override else None)
        case = cls(root, config, db, settings)
        try:
            case._upgrade_and_check()
        except BaseException:
            db.close()
            raise
        return case

    @staticmethod
    def _database(
        root: Path, config: CaseConfig, settings: Settings, password_from: Any
    ) -> Database:
        if config.database_url is None:
            return Database.sqlite(root / SQLITE_NAME, settings.lock_timeout)
        url = normalise_url(config.database_url)
        if password_from is not None:
            url = password_from
        return Database(url, settings.lock_timeout)

    def _upgrade_and_check(self) -> None:
        with self.db.read() as conn:
            version = migrations.current_version(conn)
            stored_id = (
                conn.execute(select(case_info.c.value).where(case_info.c.key == "case_id")).scalar()
                if version
                else None
            )
        if version and stored_id != self.config.case_id:
            raise CaseError(
                ErrorCode.CASE_CONFIG_INVALID,
                f"the database holds case {stored_id}, but case.json names {self.config.case_id}",
            )
        if version > migrations.LATEST:
            raise CaseError(
                ErrorCode.SCHEMA_TOO_NEW,
                f"the case has schema version {version}; this Indicia knows up to "
                f"{migrations.LATEST}: upgrade Indicia to open it",
            )
        if version < migrations.LATEST:
            with self.db.write() as conn:
                applied = migrations.migrate(conn)
                if applied:
                    chain = ChainWriter(conn)
                    chain.add(
                        pending(
                            self.settings.actor,
                            "case.migrated",
                            f"case:{self.config.case_id}",
                            {
                                "from": version,
                                "to": migrations.LATEST,
                                "indicia_version": __version__,
                            },
                        )
                    )
                    chain.flush()

    def close(self) -> None:
        """Release database connections."""
        self.db.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- intake ------------------------------------------------------------------------------

    def add(
        self,
        paths: Iterable[str | os.PathLike[str]] = (),
        *,
        source_url: str | None = None,
        final_url: str | None = None,
        collected_at: str | None = None,
        collector: str | None = None,
        method: str | None = None,
        note: str | None = None,
        manifest: str | os.PathLike[str] | None = None,
        on_item: Callable[[IntakeItem], None] | None = None,
    ) -> IntakeReport:
        """Take in files and folders (recursively), recording provenance and custody events.

        A manifest row overrides the keyword values for its file. With a manifest and no
        paths, every file the manifest lists is taken in. Items that cannot be taken in are
        reported (and logged) with a stable code; the rest of the batch goes on.
        """
        base = ProvenanceInput(source_url, final_url, collected_at, collector, method, note)
        entries = read_manifest(Path(manifest)) if manifest else None
        ctx = IntakeContext(self.db, self.blobs, self.settings, self._write_head)
        return run_intake(ctx, [Path(p) for p in paths], base, entries, on_item)

    # -- reading -----------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        """Every document with its provenance, in order of intake."""
        with self.db.read() as conn:
            provs: dict[str, list[Provenance]] = {}
            for row in conn.execute(select(provenance).order_by(provenance.c.event_seq)):
                provs.setdefault(row.document_sha256, []).append(Provenance(**row._asdict()))
            rows = conn.execute(select(documents).order_by(documents.c.event_seq)).all()
        return [Document(**r._asdict(), provenance=tuple(provs.get(r.sha256, ()))) for r in rows]

    def document(self, ref: str) -> Document:
        """The document whose SHA-256 starts with ``ref`` (at least 6 hex characters)."""
        ref = ref.lower().removeprefix("document:")
        if len(ref) < 6 or any(c not in "0123456789abcdef" for c in ref):
            raise CaseError(
                ErrorCode.DOCUMENT_NOT_FOUND,
                f"{ref!r}: give at least 6 hex characters of the SHA-256",
            )
        matches = [d for d in self.documents() if d.sha256.startswith(ref)]
        if len(matches) != 1:
            raise CaseError(
                ErrorCode.DOCUMENT_NOT_FOUND,
                f"{ref!r} matches {len(matches)} documents"
                if matches
                else f"no document starts with {ref!r}",
            )
        return matches[0]

    def original_path(self, document: Document) -> Path:
        """Where the read-only original of ``document`` is stored."""
        return self.blobs.path_for(document.sha256)

    def custody(self, document: str | None = None) -> list[CustodyEvent]:
        """The custody log, or the events about one document (SHA-256 or a prefix of it)."""
        subject = f"document:{self.document(document).sha256}" if document else None
        with self.db.read() as conn:
            return [to_event(e) for e in iter_stored(conn, subject)]

    def head(self) -> tuple[int, str]:
        """The last event's (seq, hash): publish it to anchor the log as it is now."""
        with self.db.read() as conn:
            row = conn.execute(
                select(custody_events.c.seq, custody_events.c.hash)
                .order_by(custody_events.c.seq.desc())
                .limit(1)
            ).first()
        return (int(row.seq), str(row.hash)) if row else (0, "")

    # -- analysis and search -----------------------------------------------------------------

    def analyze(self, *, force: bool = False, progress: ProgressFn | None = None) -> AnalyzeReport:
        """Extract every document that has no text yet or failed before (all with ``force``),
        then detect findings and quantities wherever the text or a lexicon changed.

        Each document runs in an isolated worker process with time and memory limits; a
        failure is recorded against that document (``extraction.failed``, with its code) and
        the run goes on.
        """
        from indicia.analyze.stage import run_extract
        from indicia.detect.stage import run_detect

        report = run_extract(
            self.db,
            self.blobs,
            self.settings,
            force=force,
            progress=progress,
            after_commit=self._write_head,
        )
        report.detection = run_detect(
            self.db, self.settings.actor, force=force, after_commit=self._write_head
        )
        return report

    def findings(
        self,
        *,
        indicator: str | None = None,
        polarity: str | None = None,
        document: str | None = None,
        supporting: bool = False,
        limit: int | None = None,
    ) -> list[StoredFinding]:
        """Stored findings with their citations; ``indicator`` is an id or a prefix ending in
        a dot (``sfl.``); ``supporting`` keeps asserted and reported ones only."""
        from indicia.detect.query import list_findings

        with self.db.read() as conn:
            return list_findings(
                conn,
                indicator=indicator,
                polarity=polarity,
                document=document,
                supporting=supporting,
                limit=limit,
            )

    def finding_summary(self) -> dict[str, Counter[str]]:
        """Per taxonomy id, the number of findings of each polarity."""
        from indicia.detect.query import finding_summary

        with self.db.read() as conn:
            return finding_summary(conn)

    def quantities(self, *, document: str | None = None) -> list[StoredQuantity]:
        """Stored quantities of people (value, unit, what is counted), in document order."""
        from indicia.detect.query import list_quantities

        with self.db.read() as conn:
            return list_quantities(conn, document=document)

    def search(
        self,
        query: str,
        *,
        language: str | None = None,
        document: str | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Passages matching every term of ``query`` (words, "quoted phrases", Chinese terms),
        best first; ``language`` e.g. ``en``, ``zh`` or ``zh-Hant``; ``document`` a hash prefix.
        """
        from indicia.search.engine import search

        with self.db.read() as conn:
            return search(conn, query, language=language, document=document, limit=limit)

    # -- verification and export -------------------------------------------------------------

    def verify(
        self,
        *,
        anchors: Sequence[str | Anchor] = (),
        check_blobs: bool = True,
        record: bool = False,
    ) -> VerificationReport:
        """Re-hash every original and walk the whole chain; report every problem precisely.

        ``anchors`` are ``SEQ:HASH`` heads published earlier (e.g. from an export). The head
        that Indicia writes beside the case after each change is always checked. With
        ``record``, a successful verification is itself logged as a custody event.
        """
        parsed = [a if isinstance(a, Anchor) else Anchor.parse(a) for a in anchors]
        head_file = read_head_file(self.root / HEAD_NAME)
        if head_file is not None:
            parsed.append(head_file)
        report = verify(self.db, self.blobs, parsed, self.settings.verify_threads, check_blobs)
        if record and report.ok:
            self._log(
                "case.verified",
                f"case:{self.config.case_id}",
                {
                    "events": report.events,
                    "documents": report.documents,
                    "blobs_checked": report.blobs_checked,
                    "head": {"seq": report.head_seq, "hash": report.head_hash},
                },
            )
        return report

    def export_custody(
        self, folder: str | os.PathLike[str], *, include_originals: bool = False
    ) -> ExportResult:
        """Write the log (JSON Lines), document list and SHA-256 manifest to ``folder``.

        The export itself is then logged as a ``custody.exported`` event.
        """
        out = Path(folder).absolute()
        prepare_folder(out)
        docs = self.documents()
        meta = {
            "format": "indicia-custody-export",
            "format_version": 1,
            "case_id": self.config.case_id,
            "exported_at": utc_now(),
            "exported_by": self.settings.actor,
            "tool": "indicia",
            "tool_version": __version__,
        }
        with self.db.read() as conn:
            originals = (
                ((d.sha256, self.original_path(d)) for d in docs) if include_originals else ()
            )
            result = write_export(
                out, iter_stored(conn), (d.as_dict() for d in docs), meta, originals
            )
        sums = (out / "SHA256SUMS").read_bytes()
        import hashlib

        self._log(
            "custody.exported",
            f"case:{self.config.case_id}",
            {
                "folder": str(out),
                "events": result.events,
                "documents": result.documents,
                "originals": result.originals,
                "head": {"seq": result.head_seq, "hash": result.head_hash},
                "manifest_sha256": hashlib.sha256(sums).hexdigest(),
            },
        )
        return result

    # -- internals ---------------------------------------------------------------------------

    def _log(self, action: str, subject: str, details: dict[str, Any]) -> CustodyEvent:
        with self.db.write() as conn:
            chain = ChainWriter(conn)
            event = chain.add(pending(self.settings.actor, action, subject, details))
            chain.flush()
        self._write_head(event.seq, event.hash)
        return event

    def _write_head(self, seq: int, digest: str) -> None:
        """Record the head beside the case, so a truncated log is noticed (best effort)."""
        target = self.root / HEAD_NAME
        tmp = self.root / f".{HEAD_NAME}.{os.getpid()}.tmp"
        with contextlib.suppress(OSError):
            current = read_head_file(target)
            if current is not None and current.seq >= seq:
                return
            tmp.write_text(json.dumps({"seq": seq, "hash": digest}) + "\n", encoding="utf-8")
            tmp.replace(target)
