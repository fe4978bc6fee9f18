"""The YAML configuration: every problem of a file is reported at once, with the key path
and a suggestion for typos; periods parse in every accepted spelling; paths resolve from the
config's folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from custops.core.config import Period, ReportConfig, load_config
from custops.core.errors import ConfigError

MINIMAL = {"sources": {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}}}


def write(tmp_path: Path, data: object, name: str = "custops.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value)


def test_minimal_config_has_defaults_and_resolves_paths_from_its_folder(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL))
    assert cfg.base_dir == tmp_path.resolve()
    assert cfg.resolve("orders.csv") == (tmp_path / "orders.csv").resolve()
    assert cfg.resolve("/data/x.csv") == Path("/data/x.csv")
    assert (cfg.seed, cfg.language, cfg.churn.inactivity_days) == (42, "en", 180)
    assert cfg.privacy.pii_columns == ["name", "phone", "email", "address", "id_number"]
    assert cfg.privacy.pseudonymize_ids is False and cfg.privacy.id_key_env == "CUSTOPS_ID_KEY"


def test_typos_at_every_level_are_reported_together_with_suggestions(tmp_path):
    data = {
        "langauge": "zh",
        "sources": {
            "orders": {"path": "orders.csv", "colums": {"order_id": "InvoiceNo"}},
            "customers": {"path": "customers.csv"},
        },
        "churn": {"inactivty_days": 90},
        "privcy": {"pseudonymize_ids": True},
    }
    text = config_error(write(tmp_path, data))
    assert "4 problem(s) in the configuration" in text
    assert "langauge: unknown key (did you mean 'language'?)" in text
    assert "sources.orders.colums: unknown key (did you mean 'columns'?)" in text
    assert "churn.inactivty_days: unknown key (did you mean 'inactivity_days'?)" in text
    assert "privcy: unknown key (did you mean 'privacy'?)" in text
    assert "data/sample/custops.yaml" in text  # the fix points at a complete example


def test_wrong_types_and_values_show_what_was_given(tmp_path):
    data = {
        **MINIMAL,
        "language": "fr",
        "churn": {"inactivity_days": "ninety"},
        "clv": {"margin": 1.5},
        "period": "2025Q5",
    }
    text = config_error(write(tmp_path, data))
    assert "language: Input should be 'en' or 'zh' (got 'fr')" in text
    assert "churn.inactivity_days: Input should be a valid integer" in text and "'ninety'" in text
    assert "clv.margin: Input should be less than or equal to 1 (got 1.5)" in text
    assert "Cannot read the period '2025Q5'" in text


def test_unknown_and_missing_tables(tmp_path):
    text = config_error(
        write(tmp_path, {"sources": {"order": {"path": "o.csv"}, "customers": {"path": "c.csv"}}})
    )
    assert "unknown table(s) ['order']" in text and "(did you mean 'orders'?)" in text
    # orders alone are enough (customers are derived from them); no table at all is not
    assert load_config(write(tmp_path, {"sources": {"orders": {"path": "o.csv"}}})).has("orders")
    text = config_error(write(tmp_path, {"sources": {}}))
    assert "sources: Value error, no table has a source; give at least `orders`" in text
    text = config_error(write(tmp_path, {"sources": {"customers": {"path": "c.csv"}}}))
    assert "no source for orders, surveys or tickets: at least one of them is needed" in text
    text = config_error(
        write(tmp_path, {"sources": {"orders": {"path": "o.csv"}, "customers": {"format": "csv"}}})
    )
    assert "give either `path`" in text


def test_unknown_encoding_and_time_zone_are_caught_before_reading(tmp_path):
    data = {
        "sources": {
            "orders": {"path": "o.csv", "encoding": "gbk2312", "timezone": "Asia/Beijing"},
            "customers": {"path": "c.csv", "encoding": "GB18030", "timezone": "Asia/Shanghai"},
        }
    }
    text = config_error(write(tmp_path, data))
    assert "sources.orders.encoding: Value error, unknown encoding 'gbk2312'" in text
    assert "sources.orders.timezone: Value error, unknown time zone 'Asia/Beijing'" in text
    assert "customers" not in text.split("configuration:")[1]  # valid spellings pass


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sources: [\n", "is not valid YAML"),
        ("- a\n- b\n", "must hold a mapping of keys to values, not list"),
        ("", "sources: Field required"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    assert message in config_error(write(tmp_path, content))


def test_missing_file_names_the_path_and_the_demo_command(tmp_path):
    text = config_error(tmp_path / "nope.yaml")
    assert str(tmp_path / "nope.yaml") in text and "custops demo-data" in text


def test_bom_and_chinese_values_are_read(tmp_path):
    path = tmp_path / "custops.yaml"
    text = yaml.safe_dump({**MINIMAL, "company": "演示零售"}, allow_unicode=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_config(path).company == "演示零售"


def test_demo_config_is_valid(small_demo):
    cfg = load_config(small_demo)
    assert set(cfg.sources) == {"customers", "orders", "tickets", "surveys", "touches"}
    assert cfg.privacy.pii_columns == ["name", "phone", "email"]


@pytest.mark.parametrize(
    ("label", "start", "end", "previous"),
    [
        ("2025Q4", date(2025, 10, 1), date(2025, 12, 31), "2025Q3"),
        ("2025-q1", date(2025, 1, 1), date(2025, 3, 31), "2024Q4"),
        ("2025-11", date(2025, 11, 1), date(2025, 11, 30), "2025-10"),
        ("202402", date(2024, 2, 1), date(2024, 2, 29), "2024-01"),
        ("2025H2", date(2025, 7, 1), date(2025, 12, 31), "2025H1"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2024"),
    ],
)
def test_period_spellings(label, start, end, previous):
    period = Period.parse(label)
    assert (period.start, period.end, period.previous().label) == (start, end, previous)
    assert period.days == (end - start).days + 1


@pytest.mark.parametrize("label", ["2025Q5", "2025-13", "Q4 2025", "last quarter", ""])
def test_bad_periods_explain_the_accepted_forms(label):
    with pytest.raises(ConfigError, match="Write it like 2025Q4, 2025-11, 2025H2 or 2025"):
        Period.parse(label)


def test_config_model_rejects_typos_when_built_in_code():
    with pytest.raises(Exception, match="extra"):
        ReportConfig.model_validate({**MINIMAL, "sede": 1})


def test_health_max_fit_customers_is_checked_and_typos_are_hinted(tmp_path):
    cfg = load_config(write(tmp_path, MINIMAL))
    assert cfg.health.max_fit_customers == 200_000
    cfg = load_config(write(tmp_path, {**MINIMAL, "health": {"max_fit_customers": None}}))
    assert cfg.health.max_fit_customers is None
    text = config_error(write(tmp_path, {**MINIMAL, "health": {"max_fit_customers": 10}}))
    assert "health.max_fit_customers: Input should be greater than 1000 (got 10)" in text
    text = config_error(write(tmp_path, {**MINIMAL, "health": {"max_fit_customer": 5000}}))
    assert "health.max_fit_customer: unknown key (did you mean 'max_fit_customers'?)" in text


def test_period_written_as_a_yaml_number_is_a_year_or_a_month(tmp_path):
    cfg = load_config(write(tmp_path, "period: 2023\nsources: {orders: {path: o.csv}}\n"))
    assert cfg.period == "2023"
    assert (Period.parse(cfg.period).start, Period.parse(cfg.period).end) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
    )
    assert load_config(
        write(tmp_path, "period: 202311\nsources: {orders: {path: o}}\n")
    ).period == ("2023-11")
    text = config_error(write(tmp_path, "period: 20231\nsources: {orders: {path: o.csv}}\n"))
    assert "period: Value error, Cannot read the period '20231'" in text
    deadline = {"review": {"targets": [{"kpi": "nps", "target": 30, "deadline": 2026}]}}
    cfg = load_config(write(tmp_path, {**MINIMAL, **deadline}))
    assert cfg.review.targets[0].deadline == "2026"


def test_text_file_options_sep_header_names_and_their_mistakes(tmp_path):
    orders = {"path": "o.txt", "sep": "whitespace", "header": False, "names": ["a", "b"]}
    cfg = load_config(write(tmp_path, {"sources": {"orders": orders}}))
    src = cfg.sources["orders"]
    assert (src.delimiter, src.header, src.names) == (r"\s+", False, ["a", "b"])
    assert load_config(write(tmp_path, {"sources": {"orders": {"path": "o", "delimiter": "tab"}}}))
    text = config_error(
        write(tmp_path, {"sources": {"orders": {"path": "o", "sep": ";", "delimiter": ","}}})
    )
    assert "give `delimiter` or `sep`, not both" in text
    text = config_error(write(tmp_path, {"sources": {"orders": {"path": "o", "sep": "spaces"}}}))
    assert "unknown delimiter 'spaces'; use one character" in text and "`whitespace`" in text
    text = config_error(write(tmp_path, {"sources": {"orders": {"path": "o", "header": False}}}))
    assert "`header: false` needs `names:`" in text
    twice = {"path": "o", "header": False, "names": ["a", "b", "a"]}
    assert "`names` repeats ['a']" in config_error(write(tmp_path, {"sources": {"orders": twice}}))


def test_cleaning_defaults_are_safe_on_real_exports():
    cleaning = ReportConfig.model_validate(MINIMAL).cleaning
    assert cleaning.outlier_action == "flag"
    assert cleaning.min_amount is None and cleaning.min_date is None
    with pytest.raises(Exception, match="outlier_action"):
        ReportConfig.model_validate({**MINIMAL, "cleaning": {"outlier_action": "drop"}})
    with pytest.raises(Exception, match="min_amount"):
        ReportConfig.model_validate({**MINIMAL, "cleaning": {"min_amount": -1}})
