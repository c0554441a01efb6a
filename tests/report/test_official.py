"""`build --official`: the options it needs, the template's [official] patterns, and the styles that have a 红头."""

from __future__ import annotations

import shutil

import pytest

from report_builder.issues import BadInput
from report_builder.report.template_folder import find_template
from report_builder.shipped import TEMPLATES
from tests.conftest import SAMPLE

BASE = ("build", "--data", SAMPLE, "--period", "2020Q3", "--format", "docx")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--doc-number", "12"), "--doc-number 只与 --official 一起使用"),
        (("--cc", "示例市民政局"), "--cc 只与 --official 一起使用"),
        (("--official", "--doc-number", "12"), "--official 需要 --issuer-code"),
        (("--official", "--issuer-code", "示民", "--doc-number", "0"), "不小于 1 的发文顺序号"),
        (("--official", "--issuer-code", " ", "--doc-number", "3"), "机关代字"),
        (("--official", "--issuer-code", "示民", "--doc-number", "3", "--cc", "甲,,乙"), "不能有空项"),
        (("--official", "--issuer-code", "示", "--doc-number", "3", "--template", "yearbook", "--period", "2020"),
         "没有红头和版记"),
    ],
)  # fmt: skip
def test_official_options_are_checked(cli, tmp_path, extra, message):
    result = cli(*BASE, "--out", tmp_path, *extra)
    assert result.exit_code == 2
    assert message in result.output
    assert not list(tmp_path.glob("*.docx"))


def test_official_build_from_the_command_line(cli, tmp_path):
    import docx

    result = cli(*BASE, "--out", tmp_path, "--official", "--issuer-code", "示民", "--doc-number", "7", "--cc",
                 "示例县人民政府办公室，示例市民政局", "--date", "2021-01-05")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = docx.Document(str(next(tmp_path.glob("*.docx"))))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "示例县民政局文件" and "示民〔2021〕7号" in texts
    cells = [c.text for c in document.tables[-1].rows[-1].cells]
    assert cells == ["示例县民政局办公室", "2021年1月5日印发"]
    assert document.tables[-1].rows[0].cells[0].text == "抄送：示例县人民政府办公室，示例市民政局。"


@pytest.mark.parametrize(
    ("table", "why"),
    [('issuer = "{org}{x}"', "“{x}”不能用"), ("printer = 3", "应为文字"), ('seal = "x"', "未知的键")],
)
def test_template_official_patterns_are_checked(tmp_path, table, why):
    folder = tmp_path / "mine"
    shutil.copytree(TEMPLATES / "quarterly", folder)
    spec = (folder / "template.toml").read_text(encoding="utf-8").split("[official]")[0]
    (folder / "template.toml").write_text(f"{spec}[official]\n{table}\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        find_template(str(folder))
    assert why in str(caught.value)


def test_template_official_patterns_are_read():
    marks = find_template("quarterly").official
    assert (marks.issuer, marks.number, marks.printer) == (
        "{org}文件",
        "{code}〔{year}〕{n}号",
        "{org}办公室",
    )
