"""Typed errors with stable codes.

Codes are a public interface: scripts and reports match on them, so a code never changes
meaning. Ranges: ``E0xx`` cases and storage, ``E1xx`` intake, ``E2xx`` extraction (later),
``E3xx`` custody and verification.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every stable error code Indicia emits, with its one-line meaning as the docstring."""

    # cases and storage
    CASE_NOT_FOUND = "E001"
    CASE_EXISTS = "E002"
    CASE_CONFIG_INVALID = "E003"
    SCHEMA_TOO_NEW = "E004"
    DATABASE_URL_INVALID = "E005"
    DATABASE_UNAVAILABLE = "E006"
    DOCUMENT_NOT_FOUND = "E007"
    EXPORT_TARGET_NOT_EMPTY = "E008"
    DATA_INVALID = "E009"

    # intake
    PATH_NOT_FOUND = "E101"
    PERMISSION_DENIED = "E102"
    SYMLINK_LOOP = "E103"
    NOT_A_REGULAR_FILE = "E104"
    EMPTY_FILE = "E105"
    FILE_TOO_LARGE = "E106"
    READ_ERROR = "E107"
    MANIFEST_INVALID = "E108"
    FILE_CHANGED_DURING_READ = "E109"
    INVALID_PROVENANCE = "E110"

    # extraction
    UNSUPPORTED_TYPE = "E201"
    EXTRACTION_TIMEOUT = "E202"
    EXTRACTION_MEMORY = "E203"
    EXTRACTOR_CRASHED = "E204"
    ENCRYPTED = "E205"
    CORRUPT_FILE = "E206"
    DECOMPRESSION_BOMB = "E207"
    XML_ENTITY_ATTACK = "E208"
    NO_TEXT = "E209"
    OCR_FAILED = "E210"
    CONTAINER_LIMIT = "E211"
    ENCODING_UNKNOWN = "E212"

    # custody and verification
    BLOB_MISSING = "E301"
    BLOB_ALTERED = "E302"
    EVENT_ALTERED = "E303"
    EVENT_DELETED = "E304"
    EVENT_INSERTED = "E305"
    EVENT_REORDERED = "E306"
    EVENT_UNREADABLE = "E307"
    RECORD_MISMATCH = "E308"
    LOG_TRUNCATED = "E309"
    RECORD_UNLOGGED = "E310"
    EXPORT_FILE_ALTERED = "E311"
    ANCHOR_MISMATCH = "E312"


ERROR_DESCRIPTIONS: dict[ErrorCode, str] = {
    ErrorCode.CASE_NOT_FOUND: "the path is not an Indicia case folder",
    ErrorCode.CASE_EXISTS: "a case already exists at this path",
    ErrorCode.CASE_CONFIG_INVALID: "case.json is missing, unreadable or invalid",
    ErrorCode.SCHEMA_TOO_NEW: "the case was written by a newer Indicia; upgrade to open it",
    ErrorCode.DATABASE_URL_INVALID: "the database URL is not sqlite or postgresql",
    ErrorCode.DATABASE_UNAVAILABLE: "the database server could not be reached",
    ErrorCode.DOCUMENT_NOT_FOUND: "no document matches this identifier",
    ErrorCode.EXPORT_TARGET_NOT_EMPTY: "the export folder exists and is not empty",
    ErrorCode.DATA_INVALID: "a data file (rules, lexicon, taxonomy) is missing or malformed",
    ErrorCode.PATH_NOT_FOUND: "the path does not exist",
    ErrorCode.PERMISSION_DENIED: "the path cannot be read (permission denied)",
    ErrorCode.SYMLINK_LOOP: "the path is a symbolic-link loop",
    ErrorCode.NOT_A_REGULAR_FILE: "the path is a socket, device, FIFO or other special file",
    ErrorCode.EMPTY_FILE: "the file is empty (zero bytes)",
    ErrorCode.FILE_TOO_LARGE: "the file is larger than the configured size limit",
    ErrorCode.READ_ERROR: "an I/O error occurred while reading the file",
    ErrorCode.MANIFEST_INVALID: "the CSV manifest is malformed",
    ErrorCode.FILE_CHANGED_DURING_READ: "the file changed while it was being read",
    ErrorCode.INVALID_PROVENANCE: "a provenance value is invalid (URL, time or method)",
    ErrorCode.UNSUPPORTED_TYPE: "no extractor handles this media type",
    ErrorCode.EXTRACTION_TIMEOUT: "extraction ran past its time limit and was stopped",
    ErrorCode.EXTRACTION_MEMORY: "extraction ran past its memory limit and was stopped",
    ErrorCode.EXTRACTOR_CRASHED: "the extractor process died (crash or signal)",
    ErrorCode.ENCRYPTED: "the document is encrypted or password-protected",
    ErrorCode.CORRUPT_FILE: "the file is truncated, malformed or not what its content claims",
    ErrorCode.DECOMPRESSION_BOMB: "decompressed size or ratio is past the configured limit",
    ErrorCode.XML_ENTITY_ATTACK: "XML entity expansion or external entities were refused",
    ErrorCode.NO_TEXT: "no text could be extracted",
    ErrorCode.OCR_FAILED: "OCR failed or is not available for this language",
    ErrorCode.CONTAINER_LIMIT: "an archive or message has too many members or is nested too deep",
    ErrorCode.ENCODING_UNKNOWN: "the text encoding could not be determined",
    ErrorCode.BLOB_MISSING: "a stored original is missing from the blob store",
    ErrorCode.BLOB_ALTERED: "a stored original no longer matches its SHA-256",
    ErrorCode.EVENT_ALTERED: "a custody event's content no longer matches its hash",
    ErrorCode.EVENT_DELETED: "one or more custody events are missing from the chain",
    ErrorCode.EVENT_INSERTED: "a custody event was inserted into the chain",
    ErrorCode.EVENT_REORDERED: "custody events are out of their chained order",
    ErrorCode.EVENT_UNREADABLE: "a custody event cannot be parsed",
    ErrorCode.RECORD_MISMATCH: "a stored record disagrees with the custody event that made it",
    ErrorCode.LOG_TRUNCATED: "the log ends before a head that was recorded earlier",
    ErrorCode.RECORD_UNLOGGED: "a stored record has no custody event",
    ErrorCode.EXPORT_FILE_ALTERED: "an exported file does not match the export manifest",
    ErrorCode.ANCHOR_MISMATCH: "the log does not contain the anchored head (seq, hash)",
}


class IndiciaError(Exception):
    """Base class: every error Indicia raises carries a stable :class:`ErrorCode`."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code.value} {message}")
        self.code = code
        self.message = message


class CaseError(IndiciaError):
    """A case cannot be created, opened or used."""


class IntakeError(IndiciaError):
    """One item cannot be taken in. The batch records it and goes on."""


class ManifestError(IndiciaError):
    """The CSV manifest is malformed."""


class ExtractError(IndiciaError):
    """One document cannot be (fully) extracted. The run records it and goes on."""
