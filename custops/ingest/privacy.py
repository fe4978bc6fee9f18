"""Personal data: drop or mask PII columns, pseudonymise ids, redact free text, find leaks.

Nothing the report publishes (the HTML book, the artifacts under ``build/<P>/artifacts``)
may hold a customer's name, phone number, e-mail address or ID number. The protections:

* **columns** named in ``privacy.pii_columns`` are dropped from the clean tables by
  :func:`custops.ingest.cleaning.load_and_clean` (``has_phone``/``has_email`` flags stay) and masked
  in the rejects file; :func:`drop_pii` and :func:`mask_pii` do the same for any frame;
* **ids**: with ``privacy.pseudonymize_ids: true`` every ``customer_id`` is replaced by a
  keyed hash (HMAC-SHA256) whose key is read from the environment variable named by
  ``privacy.id_key_env``. The key is never written anywhere; whoever holds it can recompute
  the pseudonym of a known id (to act on a retention list), nobody else can reverse it.
  The same key gives the same pseudonym in every run and every table, so joins still work;
* **free text** (survey comments, ticket categories) goes through :func:`redact` (one
  implementation, the layered redactor in :mod:`custops.ingest.redact`) which masks phones,
  e-mails, resident-ID and card numbers, addresses and person names;
* :func:`find_leaks` searches every file of a folder (HTML, CSV, Parquet, notebooks) for
  known personal values; the test suite runs it on a whole demo report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import html
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from custops.core.config import BUILTIN_PII_COLUMNS, ReportConfig
from custops.core.errors import ConfigError
from custops.core.parsing import parse_ids
from custops.ingest.redact import redact as _redact
from custops.ingest.redact import redact_series as _redact_series

if TYPE_CHECKING:
    from custops.ingest.cleaning import CleanResult

__all__ = [
    "ID_COLUMNS",
    "MIN_KEY_LENGTH",
    "drop_pii",
    "mask_pii",
    "id_key",
    "pseudonymize",
    "pseudonymize_result",
    "is_pseudonym",
    "redact",
    "redact_series",
    "find_leaks",
    "find_values",
    "pii_columns",
    "allowed_pii_note",
    "pseudonymize_agents",
]

#: columns holding a customer id, pseudonymised together so that joins keep working
ID_COLUMNS = ("customer_id",)
#: shortest key accepted for the keyed hash (characters)
MIN_KEY_LENGTH = 16


# --------------------------------------------------------------------------- columns


def mask_value(value: object) -> str:
    """Mask personal data for display: keep a hint of the shape, never the value.

    Examples
    --------
    >>> mask_value("13812345678"), mask_value("li@example.com"), mask_value("张伟")
    ('138****5678', 'l***@example.com', '张*')
    """
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    if not text:
        return ""
    if "@" in text:
        user, _, domain = text.partition("@")
        return f"{user[:1]}***@{domain}"
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return text[:1] + "*" * max(1, len(text) - 1)


def pii_columns(cfg: ReportConfig) -> list[str]:
    """The personal-data columns of a config: the built-in ones plus ``privacy.pii_columns``,
    less those named in ``privacy.allow_pii``.

    A config's list can only add: leaving ``address`` out of ``pii_columns`` does not make
    the address column public; ``allow_pii: [address]`` does, and is logged.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}},
    ...     "privacy": {"pii_columns": ["name", "wechat"], "allow_pii": ["id_number"]}})
    >>> pii_columns(cfg)
    ['name', 'phone', 'email', 'address', 'wechat']
    """
    allowed = set(cfg.privacy.allow_pii)
    columns = list(dict.fromkeys([*BUILTIN_PII_COLUMNS, *cfg.privacy.pii_columns]))
    return [c for c in columns if c not in allowed]


def allowed_pii_note(cfg: ReportConfig) -> str | None:
    """The note the cleaning step logs when ``privacy.allow_pii`` keeps personal data.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}},
    ...     "privacy": {"allow_pii": ["address"]}})
    >>> allowed_pii_note(cfg)  # doctest: +ELLIPSIS
    'privacy.allow_pii keeps the personal-data column(s) address unmasked ...'
    """
    if not cfg.privacy.allow_pii:
        return None
    names = ", ".join(cfg.privacy.allow_pii)
    return (
        f"privacy.allow_pii keeps the personal-data column(s) {names} unmasked in the clean "
        "tables, the customer view and the rejects file, as the config asks; every other "
        "personal-data column is dropped or masked."
    )


def _pii_columns(columns: ReportConfig | Iterable[str]) -> list[str]:
    if isinstance(columns, ReportConfig):
        return pii_columns(columns)
    return [str(c) for c in columns]


def drop_pii(
    frame: pd.DataFrame, columns: ReportConfig | Iterable[str], *, flags: bool = True
) -> pd.DataFrame:
    """Drop personal-data columns; optionally keep ``has_phone``/``has_email`` flags.

    Parameters
    ----------
    frame : DataFrame
    columns : ReportConfig or iterable of str
        The config (its ``privacy.pii_columns``) or the column names.
    flags : bool
        Add ``has_<column>`` (value present) for ``phone`` and ``email`` before dropping.

    Returns
    -------
    DataFrame
        A copy without the personal-data columns.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["a", "b"], "phone": ["13812345678", None]})
    >>> drop_pii(df, ["name", "phone"]).to_dict("list")
    {'customer_id': ['a', 'b'], 'has_phone': [True, False]}
    """
    out = frame.copy()
    for column in _pii_columns(columns):
        if column not in out.columns:
            continue
        if flags and column in ("phone", "email") and f"has_{column}" not in out.columns:
            out[f"has_{column}"] = out[column].notna().to_numpy()
        out = out.drop(columns=column)
    return out


def mask_pii(frame: pd.DataFrame, columns: ReportConfig | Iterable[str]) -> pd.DataFrame:
    """Mask personal-data columns in place of dropping them (``138****5678``, ``张*``).

    Use it where an analyst must recognise a row (e.g. a call list shown to the service
    team) but the full value must not be shown.

    Examples
    --------
    >>> df = pd.DataFrame({"name": ["张伟"], "email": ["li@example.com"], "x": ["a"]})
    >>> mask_pii(df, ["name", "email"]).iloc[0].tolist()
    ['张*', 'l***@example.com', 'a']
    """
    out = frame.copy()
    for column in _pii_columns(columns):
        if column in out.columns:
            values = out[column]
            out[column] = values.map(mask_value).where(values.notna(), None)
    return out


# --------------------------------------------------------------------------- ids


def id_key(cfg: ReportConfig, environ: Mapping[str, str] | None = None) -> bytes:
    """The pseudonymisation key, from the environment variable ``privacy.id_key_env``.

    Parameters
    ----------
    cfg : ReportConfig
    environ : mapping, optional
        Where to look (default: ``os.environ``).

    Returns
    -------
    bytes
        The key (UTF-8). It is never logged or written to a file.

    Raises
    ------
    ConfigError
        When the variable is missing, empty or shorter than ``MIN_KEY_LENGTH`` characters.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}},
    ...                                    "privacy": {"pseudonymize_ids": True}})
    >>> len(id_key(cfg, {"CUSTOPS_ID_KEY": "correct horse battery staple"}))
    28
    """
    name = cfg.privacy.id_key_env
    value = (os.environ if environ is None else environ).get(name, "")
    if not value:
        raise ConfigError(
            f"privacy.pseudonymize_ids is on, but the environment variable {name} that holds "
            "the pseudonymisation key is not set.",
            cause="The key is deliberately kept out of the config file and the report.",
            fix=f'Set it before the run, e.g. `export {name}=$(python -c "import secrets; '
            'print(secrets.token_hex(32))")`, and keep it in your password manager: the same '
            "key gives the same pseudonyms next quarter. Or set `privacy.pseudonymize_ids: false`.",
        )
    if len(value) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"The pseudonymisation key in {name} has {len(value)} characters; at least "
            f"{MIN_KEY_LENGTH} are needed.",
            cause="Customer ids are easy to guess; a short key can be found by trying them all.",
            fix='Use a random key, e.g. `python -c "import secrets; print(secrets.token_hex(32))"`.',
        )
    return value.encode("utf-8")


def pseudonymize(
    ids: pd.Series | Sequence[object], key: bytes | str, *, length: int = 16, prefix: str = "P"
) -> pd.Series:
    """Replace ids by a keyed hash: ``prefix`` + the first ``length`` hex digits of HMAC-SHA256.

    Ids are normalised first like the cleaning step does (trimmed text; Excel's ``12345.0``
    is ``12345``), so the same customer gets the same pseudonym from every source. Missing
    ids stay missing.

    Parameters
    ----------
    ids : Series or sequence
    key : bytes or str
        The secret key (see :func:`id_key`).
    length : int
        Hex digits kept (16 = 64 bits: collisions are negligible below billions of ids).
    prefix : str
        Marks the value as a pseudonym.

    Returns
    -------
    Series
        Same index as ``ids`` (object dtype).

    Raises
    ------
    ValueError
        If two different ids get the same pseudonym (only with a very small ``length``).

    Examples
    --------
    >>> pseudonymize(pd.Series(["C001", " C001", 7.0, None]), b"k" * 16).tolist()
    ['Pf37ad2d1201dd19b', 'Pf37ad2d1201dd19b', 'Pc5921b7b540d0ced', None]
    """
    if not 4 <= length <= 64:
        raise ValueError("length must be between 4 and 64 hex digits")
    secret = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype=object)
    normalised = parse_ids(series)
    codes: dict[str, str] = {}
    for value in normalised.dropna().unique():
        digest = hmac.new(secret, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
        codes[value] = prefix + digest[:length]
    if len(set(codes.values())) != len(codes):
        raise ValueError(
            f"{len(codes) - len(set(codes.values()))} pseudonym collision(s); use a larger length"
        )
    return normalised.map(codes).astype(object).where(normalised.notna(), None)


def _pseudonymize_raw(raw: str, key: bytes, columns: Sequence[str]) -> str:
    try:
        record = json.loads(raw)
    except (TypeError, ValueError):
        return raw
    if not isinstance(record, dict):
        return raw
    for column in columns:
        if record.get(column) not in (None, ""):
            record[column] = pseudonymize([record[column]], key).iloc[0]
    return json.dumps(record, ensure_ascii=False, default=str)


def pseudonymize_result(
    result: CleanResult,
    cfg: ReportConfig,
    *,
    columns: Sequence[str] = ID_COLUMNS,
    environ: Mapping[str, str] | None = None,
) -> CleanResult:
    """Pseudonymise the id columns of every clean table and of the rejects' raw values.

    Does nothing unless ``privacy.pseudonymize_ids`` is true. The rejects keep their source
    file and row, so a rejected row can still be found in the untouched raw export.

    Parameters
    ----------
    result : CleanResult
        Output of :func:`custops.ingest.cleaning.load_and_clean`.
    cfg : ReportConfig
    columns : sequence of str
        Id columns to replace (default ``customer_id``).
    environ : mapping, optional
        Where the key is read (default: ``os.environ``).

    Returns
    -------
    CleanResult
        A new result; ``result`` is not modified.

    Raises
    ------
    ConfigError
        When the option is on and the key is missing (see :func:`id_key`).

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}},
    ...                                    "privacy": {"pseudonymize_ids": True}})
    >>> from custops.ingest.cleaning import CleanResult
    >>> res = CleanResult({"customers": pd.DataFrame({"customer_id": ["C001"]})},
    ...                   pd.DataFrame(), pd.DataFrame(columns=["raw"]))
    >>> pseudonymize_result(res, cfg, environ={"CUSTOPS_ID_KEY": "k" * 16}).tables["customers"]["customer_id"].tolist()
    ['Pf37ad2d1201dd19b']
    """
    if not cfg.privacy.pseudonymize_ids:
        return result
    key = id_key(cfg, environ)
    tables = {}
    for name, frame in result.tables.items():
        frame = frame.copy()
        for column in columns:
            if column in frame.columns:
                frame[column] = pseudonymize(frame[column], key).to_numpy()
        tables[name] = frame
    rejects = result.rejects.copy()
    if "raw" in rejects.columns and len(rejects):
        rejects["raw"] = [_pseudonymize_raw(r, key, columns) for r in rejects["raw"]]
    return dataclasses.replace(result, tables=tables, rejects=rejects, written={})


def pseudonymize_agents(
    agents: pd.Series, cfg: ReportConfig, environ: Mapping[str, str] | None = None
) -> pd.Series:
    """Replace ticket handlers' names by pseudonyms before the tickets are written anywhere.

    With the key of ``privacy.id_key_env`` set: ``A-`` + 8 hex digits of the keyed hash (the
    label :func:`custops.voice.agents.agent_labels` shows, which the key holder recomputes
    with ``agent_lookup``). Without it: ``staff-001``, ``staff-002`` ... by ticket volume
    (ties in a fixed hash order). Missing values stay missing.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> pseudonymize_agents(pd.Series(["王芳", "李雷", "王芳", None]), cfg, environ={}).tolist()
    ['staff-1', 'staff-2', 'staff-1', None]
    >>> pseudonymize_agents(pd.Series(["王芳"]), cfg, environ={"CUSTOPS_ID_KEY": "k" * 16}).tolist()
    ['A-17d10a65']
    """
    values = agents.astype(object).where(agents.notna(), None)
    present = values.dropna().astype(str).str.strip()
    present = present[present != ""]
    value = (os.environ if environ is None else environ).get(cfg.privacy.id_key_env, "")
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    if len(value) >= MIN_KEY_LENGTH:
        out[present.index] = pseudonymize(present, value.encode("utf-8"), length=8, prefix="A-")
        return out
    counts = present.value_counts()
    order = sorted(
        counts.index, key=lambda v: (-counts[v], hashlib.sha256(v.encode("utf-8")).hexdigest())
    )
    width = len(str(len(order)))
    codes = {v: f"staff-{i:0{width}d}" for i, v in enumerate(order, start=1)}
    out[present.index] = present.map(codes).to_numpy()
    return out


# --------------------------------------------------------------------------- free text


def redact(text: object) -> str | None:
    """Mask personal data in free text (:func:`custops.ingest.redact.redact`).

    The one implementation is the layered redactor in :mod:`custops.ingest.redact`; this
    name is here so that privacy code has a single place to import from.

    Examples
    --------
    >>> redact("电话 +86 138-1234-5678，邮箱 li@example.com")
    '电话 [phone]，邮箱 [email]'
    """

    return _redact(text)


def redact_series(values: pd.Series) -> pd.Series:
    """:func:`redact` on every value of a Series; missing values stay missing.

    Examples
    --------
    >>> redact_series(pd.Series(["身份证11010519491231002X", None])).tolist()
    ['身份证[id]', None]
    """

    return _redact_series(values)


# --------------------------------------------------------------------------- finding leaks

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_DIGIT_RUN = re.compile(r"\d{6,}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_DIGIT_GAP = re.compile(r"(?<=\d)[ \-()]{1,2}(?=\d)")
_MAX_PREFIX = 4  # digits a phone may be preceded by in one run: a country code (86, 0086)
_TEXT_SUFFIXES = {
    ".html",
    ".htm",
    ".js",
    ".css",
    ".csv",
    ".txt",
    ".md",
    ".json",
    ".ipynb",
    ".yml",
    ".yaml",
    ".xml",
    ".svg",
    ".log",
    ".inv",
    ".buildinfo",
}
_SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".eot"}


def _kind(value: str) -> str:
    compact = re.sub(r"[\s\-+()]", "", value)
    if compact.isdigit():
        return "digits"
    if "@" in value:
        return "email"
    if _CJK_RUN.fullmatch(value):
        return "cjk"
    return "text"


def find_values(text: str, values: Iterable[object]) -> set[str]:
    """Which of ``values`` occur in ``text`` (fast for thousands of values).

    Phone-like values are found even when the text spaces or dashes their digits, e-mails
    regardless of case, Chinese names as substrings of longer Chinese text.

    Parameters
    ----------
    text : str
    values : iterable
        The personal values to look for (missing and empty values are ignored).

    Returns
    -------
    set of str
        The values found (as given, converted to text).

    Examples
    --------
    >>> sorted(find_values("call 138-1234-5678 or 张伟说 LI@EXAMPLE.COM", ["13812345678", "张伟", "li@example.com", "王芳"]))
    ['13812345678', 'li@example.com', '张伟']
    """
    by_kind: dict[str, dict[str, str]] = {"digits": {}, "email": {}, "cjk": {}, "text": {}}
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        shown = str(value).strip()
        if not shown:
            continue
        kind = _kind(shown)
        key = {
            "digits": re.sub(r"\D", "", shown),
            "email": shown.lower(),
        }.get(kind, shown)
        by_kind[kind][key] = shown
    found: set[str] = set()
    if by_kind["digits"]:
        # a phone is a whole run of digits, or its end after a country code: a number
        # inside a longer run (an order id, a float's decimals) is a coincidence, not a leak
        lengths = {len(k) for k in by_kind["digits"]}
        for run in set(_DIGIT_RUN.findall(_DIGIT_GAP.sub("", text))):
            for n in lengths:
                if n <= len(run) <= n + _MAX_PREFIX:
                    hit = by_kind["digits"].get(run[-n:])
                    if hit is not None:
                        found.add(hit)
    if by_kind["email"]:
        for email in _EMAIL.findall(text):
            hit = by_kind["email"].get(email.lower())
            if hit is not None:
                found.add(hit)
    if by_kind["cjk"]:
        lengths = {len(k) for k in by_kind["cjk"]}
        for run in _CJK_RUN.findall(text):
            for n in lengths:
                for i in range(len(run) - n + 1):
                    hit = by_kind["cjk"].get(run[i : i + n])
                    if hit is not None:
                        found.add(hit)
    found.update(v for k, v in by_kind["text"].items() if k in text)
    return found


def _file_text(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in _SKIP_SUFFIXES:
        return None
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
        parts = [" ".join(map(str, frame.columns))]
        parts += [frame[c].astype(str).str.cat(sep="\n") for c in frame.columns]
        return "\n".join(parts)
    if suffix in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        return "\n".join(f.to_csv(index=False) for f in sheets.values())
    data = path.read_bytes()
    if suffix == ".inv" and b"zlib" in data[:200]:
        import zlib

        head, _, body = data.partition(b"compressed using zlib.\n")
        with contextlib.suppress(zlib.error):
            data = head + zlib.decompress(body)
    text = data.decode("utf-8", errors="ignore")
    if suffix in (".json", ".ipynb"):
        with contextlib.suppress(ValueError):  # "\u5f20" escapes -> characters
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    if suffix in (".html", ".htm", ".xml", ".svg", ".js"):
        text += "\n" + html.unescape(text)
    return text


def find_leaks(
    folders: Path | str | Iterable[Path | str], values: Iterable[object]
) -> pd.DataFrame:
    """Search every file under ``folders`` for the given personal values.

    Reads HTML (entities decoded), CSV, JSON and notebooks (``\\uXXXX`` escapes decoded),
    Parquet and Excel (cell values), Sphinx's compressed ``objects.inv`` and any other file
    as UTF-8 text; images and fonts are skipped.

    Parameters
    ----------
    folders : path or iterable of paths
        E.g. ``build/2025Q4/html`` and ``build/2025Q4/artifacts``.
    values : iterable
        Names, phones, e-mails ... taken from the raw source.

    Returns
    -------
    DataFrame
        One row per file and value found: ``file``, ``value``. Empty when nothing leaked.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "page.html").write_text("<p>&#24352;&#20255; called</p>", encoding="utf-8")
    >>> find_leaks(folder, ["张伟", "13812345678"]).to_dict("records")  # doctest: +ELLIPSIS
    [{'file': '.../page.html', 'value': '张伟'}]
    """
    if isinstance(folders, str | Path):
        folders = [folders]
    needles = [v for v in values if v is not None and str(v).strip()]
    rows = []
    for folder in folders:
        root = Path(folder)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            text = _file_text(path)
            if text is None:
                continue
            rows += [(str(path), value) for value in sorted(find_values(text, needles))]
    return pd.DataFrame(rows, columns=["file", "value"])


def is_pseudonym(ids: pd.Series, *, length: int = 16, prefix: str = "P") -> pd.Series:
    """Whether each id has the form :func:`pseudonymize` gives (``prefix`` + ``length`` hex).

    Examples
    --------
    >>> is_pseudonym(pd.Series(["Pf37ad2d1201dd19b", "C001"])).tolist()
    [True, False]
    """
    pattern = re.escape(prefix) + f"[0-9a-f]{{{length}}}"
    return ids.astype("string").str.fullmatch(pattern).fillna(False).astype(bool)
