"""The template environment: sandboxed (templates may come from another office), strict (a misspelt variable
is an error naming the template line, never an empty gap), escaping for the XML document markup, with the
Chinese filters bound to the data folder's rounding mode.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.numbers import Rounding
from report_builder.report.filters import FILTERS


def environment(folder: Path, rounding: Rounding = Rounding.HALF_UP) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name, func in FILTERS.items():
        takes_rounding = "rounding" in inspect.signature(func).parameters
        env.filters[name] = functools.partial(func, rounding=rounding) if takes_rounding else func
    return env


def render(
    folder: Path, name: str, context: Mapping[str, object], rounding: Rounding = Rounding.HALF_UP
) -> str:
    """Render `name` from `folder`; any template error becomes BadInput naming the template file and line."""
    try:
        return environment(folder, rounding).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = _template_location(folder, exc.filename or name, exc.lineno)
        raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why=f"语法错误：{exc.message}") from None
    except jinja2.TemplateError as exc:
        raise BadInput.of(IssueCode.BAD_TEMPLATE, _where(exc, folder, name), why=_message(exc)) from None


def _template_location(folder: Path, filename: str, line: int | None) -> Location:
    """`quarterly/report.xml.j2:行38`: the template folder's name with the file, as a user finds it."""
    path = Path(filename)
    relative = path.relative_to(folder).as_posix() if path.is_absolute() else filename
    return Location(f"{folder.name}/{relative}", row=line)


def _where(exc: BaseException, folder: Path, name: str) -> Location:
    """The innermost template frame of the traceback: Jinja compiles templates to code with their filename."""
    frame = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(str(folder)):
            frame = tb
        tb = tb.tb_next
    if frame is None:
        return _template_location(folder, name, None)
    template = frame.tb_frame.f_globals.get("__jinja_template__")
    line = template.get_corresponding_lineno(frame.tb_lineno) if template else frame.tb_lineno
    return _template_location(folder, frame.tb_frame.f_code.co_filename, line)


def _message(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"未定义的变量：{exc.message}"
    return str(exc)
