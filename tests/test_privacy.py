"""No personal data in the report: PII columns dropped or masked, ids pseudonymised with a
keyed hash whose key never leaves the environment, free text redacted, and a search of the
whole demo report (HTML and artifacts) for the raw customer file's names, phones and e-mails.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from custops.core.config import ReportConfig, load_config
from custops.core.errors import ConfigError
from custops.ingest.cleaning import load_and_clean
from custops.ingest.privacy import (
    drop_pii,
    find_leaks,
    find_values,
    id_key,
    is_pseudonym,
    mask_pii,
    pseudonymize,
    pseudonymize_result,
    redact,
    redact_series,
)

ROOT = Path(__file__).resolve().parents[1]
KEY = "test-key-0123456789abcdef"


def demo_pii(config_path: Path) -> dict[str, list[str]]:
    """Names, phones and e-mails of the raw (GBK-encoded) demo customer export."""
    raw = pd.read_csv(config_path.parent / "crm_customers.csv", encoding="gb18030", dtype=str)
    return {
        "name": raw["姓名"].dropna().tolist(),
        "phone": raw["手机"].dropna().tolist(),
        "email": raw["邮箱"].dropna().tolist(),
    }


def cfg_with(**privacy) -> ReportConfig:
    return ReportConfig.model_validate(
        {"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}, "privacy": privacy}
    )


# --------------------------------------------------------------------------- columns


def test_drop_and_mask_pii_columns():
    df = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "name": ["张伟", None],
            "phone": ["13812345678", None],
            "email": [None, "li@example.com"],
        }
    )
    dropped = drop_pii(df, cfg_with())
    assert list(dropped.columns) == ["customer_id", "has_phone", "has_email"]
    assert dropped["has_phone"].tolist() == [True, False]
    assert dropped["has_email"].tolist() == [False, True]
    masked = mask_pii(df, ["name", "phone", "email"])
    assert masked.iloc[0].tolist() == ["a", "张*", "138****5678", None]
    assert masked.iloc[1].tolist() == ["b", None, None, "l***@example.com"]
    assert df["phone"].iloc[0] == "13812345678"  # the input is not modified


def test_cleaning_drops_pii_from_clean_tables_and_masks_rejects(small_demo):
    cfg = load_config(small_demo)
    result = load_and_clean(cfg, "2025Q4")
    customers = result.tables["customers"]
    assert not {"name", "phone", "email"} & set(customers.columns)
    assert customers["has_phone"].all() and customers["has_email"].all()
    pii = demo_pii(small_demo)
    rejects_text = result.rejects.to_csv(index=False)
    assert find_values(rejects_text, pii["name"] + pii["phone"] + pii["email"]) == set()
    # the rejected customers still show the shape of their contact data
    rejected_customers = result.rejects[result.rejects["table"] == "customers"]
    assert len(rejected_customers) > 0
    record = json.loads(rejected_customers["raw"].iloc[0])
    assert record["phone"].count("*") == 4 and record["email"].startswith(
        record["email"][0] + "***@"
    )
    kept_pii = load_and_clean(cfg, "2025Q4", keep_pii=True).tables["customers"]
    assert {"name", "phone", "email"} <= set(kept_pii.columns)


# --------------------------------------------------------------------------- ids


def test_pseudonym_is_hmac_sha256_of_the_normalised_id():
    got = pseudonymize(pd.Series(["C00001", " C00001 ", 12345.0, None], index=[5, 6, 7, 8]), KEY)
    expected = "P" + hmac.new(KEY.encode(), b"C00001", hashlib.sha256).hexdigest()[:16]
    assert got.index.tolist() == [5, 6, 7, 8]
    assert got.iloc[0] == got.iloc[1] == expected
    assert got.iloc[2] == "P" + hmac.new(KEY.encode(), b"12345", hashlib.sha256).hexdigest()[:16]
    assert got.iloc[3] is None
    other = pseudonymize(["C00001"], KEY + "x")
    assert other.iloc[0] != expected  # another key, another pseudonym
    assert (
        pseudonymize(["C00001"], KEY, length=32, prefix="").iloc[0]
        == expected[1:] + hmac.new(KEY.encode(), b"C00001", hashlib.sha256).hexdigest()[16:32]
    )


def test_pseudonyms_are_distinct_for_distinct_ids():
    ids = [f"C{i:06d}" for i in range(20_000)]
    assert pseudonymize(ids, KEY).nunique() == len(ids)
    with pytest.raises(ValueError, match="collision"):
        pseudonymize(ids, KEY, length=4)


def test_missing_or_short_key_is_a_clear_config_error():
    cfg = cfg_with(pseudonymize_ids=True, id_key_env="MY_SHOP_KEY")
    with pytest.raises(ConfigError) as info:
        id_key(cfg, {})
    text = str(info.value)
    assert "environment variable MY_SHOP_KEY" in text and "export MY_SHOP_KEY=" in text
    assert "pseudonymize_ids: false" in text
    with pytest.raises(ConfigError, match="has 5 characters; at least 16"):
        id_key(cfg, {"MY_SHOP_KEY": "short"})
    assert id_key(cfg, {"MY_SHOP_KEY": KEY}) == KEY.encode()


def test_pseudonymize_result_is_off_by_default():
    result = object()
    assert pseudonymize_result(result, cfg_with()) is result  # type: ignore[arg-type]


def test_pseudonymised_run_keeps_joins_and_never_writes_the_key(small_demo, tmp_path, monkeypatch):
    plain_cfg = load_config(small_demo)
    plain = load_and_clean(plain_cfg, "2025Q4")
    data = yaml.safe_load(small_demo.read_text(encoding="utf-8"))
    data["privacy"]["pseudonymize_ids"] = True
    config = small_demo.parent / "custops-pseudo.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("CUSTOPS_ID_KEY", KEY)
    pseudo = load_and_clean(load_config(config), "2025Q4")
    mapping = dict(
        zip(
            plain.tables["customers"]["customer_id"],
            pseudonymize(plain.tables["customers"]["customer_id"], KEY),
            strict=True,
        )
    )
    for table, frame in plain.tables.items():
        got = pseudo.tables[table]["customer_id"]
        assert got.str.fullmatch(r"P[0-9a-f]{16}").all(), table
        assert not got.isin(frame["customer_id"]).any(), table
        known = frame["customer_id"].isin(mapping)
        assert (
            got[known.to_numpy()].to_numpy() == frame["customer_id"][known].map(mapping).to_numpy()
        ).all()
    # rejects: ids replaced inside the raw values, source file and row kept
    with_id = [json.loads(r) for r in pseudo.rejects["raw"] if json.loads(r).get("customer_id")]
    assert with_id and all(r["customer_id"].startswith("P") for r in with_id)
    assert pseudo.rejects["source_row"].tolist() == plain.rejects["source_row"].tolist()
    # the key appears in no artifact
    from custops.ingest.artifacts import write_artifact

    for name, frame in pseudo.tables.items():
        write_artifact(frame, tmp_path, f"clean_{name}.parquet")
    write_artifact(pseudo.rejects, tmp_path, "rejects.csv")
    write_artifact(pseudo.ledger, tmp_path, "ledger.csv")
    assert find_leaks(tmp_path, [KEY, "C00001", "C00002"]).empty
    monkeypatch.delenv("CUSTOPS_ID_KEY")
    with pytest.raises(ConfigError, match="CUSTOPS_ID_KEY"):
        load_and_clean(load_config(config), "2025Q4")


# --------------------------------------------------------------------------- free text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请回电13812345678谢谢", "请回电[phone]谢谢"),
        ("手机：138 1234 5678", "手机：[phone]"),
        ("+86-138-1234-5678", "[phone]"),
        ("(+86)13812345678", "[phone]"),
        ("0086 13812345678", "[phone]"),
        ("１３８１２３４５６７８", "[phone]"),
        ("电话010-12345678", "电话[phone]"),
        ("邮箱13812345678@163.com", "邮箱[email]"),
        ("联系li.wei+vip@example.com.cn吧", "联系[email]吧"),
        ("身份证110105194912310021", "身份证[id]"),
        ("ID 11010519491231002x.", "ID [id]."),
        ("call +1 415 555 2671 please", "call [phone] please"),
    ],
)
def test_redact_masks_contact_details(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号 20251003123456789 金额 1380 元",
        "我买了3件, 共138元",
        "date 2025-10-03 10:00:00",
        "1500 customers, 2025Q4, NPS 31.5",
        "价格 1,234,567.89 元",
        "会员编号 C00012",
    ],
)
def test_redact_leaves_ordinary_numbers_alone(text):
    assert redact(text) == text


def test_redact_series_keeps_missing_values():
    assert redact_series(pd.Series(["mail a@b.cn", None])).tolist() == ["mail [email]", None]


# --------------------------------------------------------------------------- leak finder


def test_find_values_sees_spaced_phones_entities_and_escapes(tmp_path):
    (tmp_path / "a.html").write_text("<p>&#24352;&#20255; 138 1234 5678</p>", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"x": "USER1@EXAMPLE.CN"}), encoding="utf-8")
    pd.DataFrame({"c": ["+8613987654321", "x"]}).to_parquet(tmp_path / "c.parquet")
    (tmp_path / "d.ipynb").write_text(
        json.dumps({"t": "李娜"}, ensure_ascii=True), encoding="utf-8"
    )
    leaks = find_leaks(
        tmp_path, ["张伟", "13812345678", "user1@example.cn", "13987654321", "李娜", "王芳"]
    )
    assert sorted(zip(leaks["file"].map(lambda f: Path(f).name), leaks["value"], strict=True)) == [
        ("a.html", "13812345678"),
        ("a.html", "张伟"),
        ("b.json", "user1@example.cn"),
        ("c.parquet", "13987654321"),
        ("d.ipynb", "李娜"),
    ]


def test_find_values_ignores_digits_inside_longer_numbers():
    text = "order 2025138123456789012 value 0.13812345678912"
    assert find_values(text, ["13812345678"]) == set()


def test_demo_artifacts_hold_no_personal_data(small_demo, small_artifacts):
    pii = demo_pii(small_demo)
    values = pii["name"] + pii["phone"] + pii["email"]
    raw_text = (small_demo.parent / "crm_customers.csv").read_bytes().decode("gb18030")
    assert len(find_values(raw_text, values)) == len(set(values))  # the finder finds them all
    names = {p.name for p in small_artifacts.iterdir()}
    assert {"customer_features.parquet", "clean_customers.parquet", "rejects.csv"} <= names
    leaks = find_leaks(small_artifacts, values)
    assert leaks.empty, leaks.head(10).to_string()


@pytest.mark.slow
def test_whole_demo_report_holds_no_personal_data(small_demo, tmp_path):
    """`custops run` on the demo (every notebook present now) and search every file of
    build/<P>/html and build/<P>/artifacts for the raw names, phones and e-mails."""
    build = tmp_path / "build"
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("custops")),
            "run",
            "--config",
            str(small_demo),
            "--period",
            "2025Q4",
            "--out",
            str(build),
            "--no-progress",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    html = build / "2025Q4" / "html"
    artifacts = build / "2025Q4" / "artifacts"
    assert (html / "index.html").exists() and any(artifacts.iterdir())
    pii = demo_pii(small_demo)
    leaks = find_leaks([html, artifacts], pii["name"] + pii["phone"] + pii["email"])
    assert leaks.empty, leaks.head(20).to_string()


@pytest.mark.slow
def test_every_customer_level_artifact_carries_the_ids_of_the_clean_tables(tmp_path, monkeypatch):
    """With pseudonymisation on, the ids of every artifact are those of clean_customers /
    clean_orders (one pseudonymiser: no chapter hashes the pseudonyms again)."""
    from custops.demo.synth import write_demo_data
    from custops.run import pipeline

    config = write_demo_data(tmp_path / "data", n_customers=400, seed=7)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["privacy"]["pseudonymize_ids"] = True
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("CUSTOPS_ID_KEY", KEY)  # the kernels inherit it
    result = pipeline.run(
        config, "2025Q4", out=tmp_path / "build", book=False, progress=False, log=lambda _: None
    )
    assert [r.status for r in result.notebooks] == ["ok"] * len(result.notebooks)
    folder = tmp_path / "build" / "2025Q4" / "artifacts"
    clean = set(pd.read_parquet(folder / "clean_customers.parquet")["customer_id"].dropna())
    clean |= set(pd.read_parquet(folder / "clean_orders.parquet")["customer_id"].dropna())
    assert clean and all(is_pseudonym(pd.Series(sorted(clean))))
    checked = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str)
        else:
            continue
        for column in ("customer_id", "customer"):
            if column in frame and path.name not in ("rejects.csv", "ledger.csv"):
                ids = set(frame[column].dropna().astype(str))
                assert ids, path.name
                assert ids <= clean, (path.name, sorted(ids - clean)[:3])
                checked[path.name] = len(ids)
    must = {
        "retention_priority.csv",
        "churn_scores.parquet",
        "segments.parquet",
        "customer_features.parquet",
        "health_scores.parquet",
    }
    assert must <= set(checked), sorted(checked)
