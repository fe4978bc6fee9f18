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


# --------------------------------------------------------------------------- planted PII, end to end

#: personal data planted in a demo company's raw files, every kind; none may appear in build/
PLANTED_COMMENTS = [
    "客服欧阳娜娜态度很差，请回电 13987654321",
    "我叫李秀英，住北京市朝阳区建国路88号，快递一直没到",
    "Johnathan Smithers here, mail me at john.smithers at gmail dot com about the refund",
    "Emily Zhang-Hart never replied, send it to 221B Baker Street please",
    "身份证 11010519491231002X 实名认证失败，邮箱 wangfang＠163.com",
    "Charged twice on card 4111 1111 1111 1111, call +44 20 7946 0958",
]
PLANTED_VALUES = [
    "欧阳娜娜",
    "13987654321",
    "李秀英",
    "建国路88号",
    "Johnathan",
    "Smithers",
    "john.smithers",
    "Zhang-Hart",
    "221B Baker",
    "11010519491231002X",
    "wangfang",
    "4111 1111 1111 1111",
    "4111111111111111",
    "20 7946 0958",
    "2079460958",
    # ticket fields and customer columns
    "王建华",
    "13812349876",
    "Priya McAllister",
    "上海市浦东新区张江路100号",
    "张江路100号",
    "310115198807150014",
    "Old Kent Road",
]
_MOBILE_RE = r"(?<![\d.])1[3-9]\d{9}(?![\d])"
_EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"


def _plant(demo: Path) -> None:
    """Write the planted values into the demo's raw exports (its own tmp copy)."""
    import numpy as np

    surveys = pd.read_csv(demo / "nps_survey.csv", encoding="utf-8-sig", dtype=str)
    in_q4 = surveys.index[surveys["responded_at"].str.startswith(("2025-10", "2025-11", "2025-12"))]
    rows = np.asarray(in_q4[: len(PLANTED_COMMENTS) * 8])  # often enough to be typical quotes
    surveys.loc[rows, "comment"] = [
        PLANTED_COMMENTS[i % len(PLANTED_COMMENTS)] for i in range(len(rows))
    ]
    surveys.to_csv(demo / "nps_survey.csv", index=False, encoding="utf-8-sig")

    tickets = pd.read_excel(demo / "service_tickets.xlsx", sheet_name="tickets")
    recent = tickets.index[pd.to_datetime(tickets["created_at"]) >= "2025-10-01"][:60]
    tickets["category"] = tickets["category"].astype(object)
    tickets.loc[recent[:20], "category"] = "投诉 王建华 13812349876"
    tickets["agent"] = tickets["agent"].astype(object)
    tickets.loc[recent[20:40], "agent"] = "Priya McAllister"
    tickets.loc[recent[40:60], "agent"] = "王建华"
    with pd.ExcelWriter(demo / "service_tickets.xlsx", engine="openpyxl") as xl:
        tickets.to_excel(xl, sheet_name="tickets", index=False)

    customers = pd.read_csv(demo / "crm_customers.csv", encoding="gb18030", dtype=str)
    customers["地址"] = ["上海市浦东新区张江路100号", "12 Old Kent Road, London"] * (
        len(customers) // 2
    ) + [None] * (len(customers) % 2)
    customers["身份证号"] = "310115198807150014"
    customers.to_csv(demo / "crm_customers.csv", index=False, encoding="gb18030")
    config = yaml.safe_load((demo / "custops.yaml").read_text(encoding="utf-8"))
    config["sources"]["customers"]["columns"].update({"address": "地址", "id_number": "身份证号"})
    config["privacy"]["pii_columns"] = ["name", "phone", "email"]  # omits address, id_number
    (demo / "custops.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _text_files(root: Path):
    from custops.ingest.privacy import _file_text

    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = _file_text(path)
        if text is not None:
            yield path, text


@pytest.mark.slow
def test_planted_personal_data_reaches_no_file_of_the_build(tmp_path):
    """Plant names, phones, e-mails (plain and obfuscated), ID and card numbers and addresses
    in a 300-customer demo's comments, ticket category/agent fields and customer columns
    (with a config whose pii_columns omits address and id_number), run `custops run`, and grep
    every file under build/ (html, _sources, searchindex.js, notebooks, book source,
    artifacts, logs) for every planted value, any 11-digit mobile and any e-mail."""
    import re

    custops = str(Path(sys.executable).with_name("custops"))
    demo = tmp_path / "demo"
    subprocess.run(
        [custops, "demo-data", "--out", str(demo), "--customers", "300"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    _plant(demo)
    raw = (demo / "nps_survey.csv").read_text(encoding="utf-8-sig")
    assert all(c in raw for c in PLANTED_COMMENTS)  # planted where the run reads
    build = tmp_path / "build"
    proc = subprocess.run(
        [
            custops,
            "run",
            "--config",
            str(demo / "custops.yaml"),
            "--period",
            "2025Q4",
            "--out",
            str(build),
            "--no-progress",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    files = list(_text_files(build))
    names = {p.name for p, _ in files}
    assert {"index.html", "searchindex.js", "rejects.csv", "clean_customers.parquet"} <= names
    assert any(p.suffix == ".ipynb" for p, _ in files) and any(
        "_sources" in p.parts for p, _ in files
    )
    leaks = find_leaks(build, PLANTED_VALUES)
    assert leaks.empty, leaks.head(20).to_string()
    mobiles = [(str(p), m) for p, t in files for m in re.findall(_MOBILE_RE, t)]
    assert not mobiles, mobiles[:10]
    emails = [(str(p), m) for p, t in files for m in re.findall(_EMAIL_RE, t)]
    assert not emails, emails[:10]
    # the planted comments were read and masked, not dropped (every kind's placeholder)
    surveys = pd.read_parquet(build / "2025Q4" / "artifacts" / "clean_surveys.parquet")
    masked = " ".join(surveys["comment"].dropna())
    for placeholder in ("[name]", "[phone]", "[email]", "[id]", "[card]", "[address]"):
        assert placeholder in masked, placeholder
    assert "我叫[name]，住[address]，快递一直没到" in masked
    tickets = pd.read_parquet(build / "2025Q4" / "artifacts" / "clean_tickets.parquet")
    assert "投诉 [name] [phone]" in set(tickets["category"])


def _tiny_company(folder: Path, privacy: dict) -> ReportConfig:
    pd.DataFrame(
        {
            "customer_id": ["C1", "C2", ""],
            "signup_date": ["2025-01-02", "2025-02-03", "2025-03-04"],
            "name": ["张伟", "Emily Zhang-Hart", "王芳"],
            "address": ["北京市朝阳区建国路88号", "221B Baker Street", "上海市浦东新区张江路100号"],
            "id_number": ["11010519491231002X", "310115198807150014", "110105194912310021"],
        }
    ).to_csv(folder / "customers.csv", index=False)
    pd.DataFrame(
        {
            "order_id": ["o1", "o2"],
            "customer_id": ["C1", "C2"],
            "order_date": ["2025-10-02", "2025-11-03"],
            "amount": ["10", "20"],
        }
    ).to_csv(folder / "orders.csv", index=False)
    pd.DataFrame(
        {
            "ticket_id": ["t1", "t2", "t3"],
            "customer_id": ["C1", "C2", "C2"],
            "created_at": ["2025-10-02 10:00"] * 3,
            "category": ["投诉 王建华 13812349876", "delivery", "delivery"],
            "agent": ["Priya McAllister", "王建华", "王建华"],
        }
    ).to_csv(folder / "tickets.csv", index=False)
    sources = {t: {"path": str(folder / f"{t}.csv")} for t in ("customers", "orders", "tickets")}
    return ReportConfig.model_validate({"sources": sources, "privacy": privacy})


def test_configured_pii_columns_only_add_and_allow_pii_is_logged(tmp_path, monkeypatch):
    monkeypatch.delenv("CUSTOPS_ID_KEY", raising=False)
    cfg = _tiny_company(tmp_path, {"pii_columns": ["name", "phone", "email"]})
    result = load_and_clean(cfg, "2025Q4")
    customers = result.tables["customers"]
    assert not {"name", "address", "id_number"} & set(customers.columns)
    # the rejected customer (empty id): masked in the rejects, address and ID included
    text = result.rejects.to_csv(index=False)
    assert find_values(text, ["王芳", "张江路100号", "110105194912310021"]) == set()
    assert "上**" in text or "上*" in text
    # ticket category redacted, agents pseudonymised (by volume: 王建华 has two tickets)
    tickets = result.tables["tickets"]
    assert tickets["category"].tolist() == ["投诉 [name] [phone]", "delivery", "delivery"]
    assert tickets["agent"].tolist() == ["staff-2", "staff-1", "staff-1"]
    assert not any("allow_pii" in n for n in result.notes)

    allowed = _tiny_company(tmp_path, {"pii_columns": ["name"], "allow_pii": ["address", "agent"]})
    result = load_and_clean(allowed, "2025Q4")
    customers = result.tables["customers"]
    assert "address" in customers.columns and "id_number" not in customers.columns
    assert customers["address"].tolist() == ["北京市朝阳区建国路88号", "221B Baker Street"]
    assert result.tables["tickets"]["agent"].tolist() == ["Priya McAllister", "王建华", "王建华"]
    note = [n for n in result.notes if "allow_pii" in n]
    assert note and "address, agent" in note[0]


def test_keyed_agent_pseudonyms_match_the_agents_chapter(tmp_path, monkeypatch):
    from custops.voice.agents import agent_labels, agent_lookup

    monkeypatch.setenv("CUSTOPS_ID_KEY", KEY)
    cfg = _tiny_company(tmp_path, {})
    agents = load_and_clean(cfg, "2025Q4").tables["tickets"]["agent"]
    expected = agent_lookup(["Priya McAllister", "王建华"], cfg)
    assert agents.tolist() == [
        expected["Priya McAllister"],
        expected["王建华"],
        expected["王建华"],
    ]
    labels, mode = agent_labels(agents, cfg)  # the chapter keeps the cleaned labels
    assert mode == "keyed" and labels.tolist() == agents.tolist()


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
