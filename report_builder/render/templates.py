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

from report_builder.render.filters import FILTERS


class TemplateProblem(ValueError):
    """A template could not be rendered; the message names the template file and line."""


def environment(folder: Path, rounding: str = "half_up") -> SandboxedEnvironment:
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


def render(folder: Path, name: str, context: Mapping[str, object], rounding: str = "half_up") -> str:
    """Render `name` from `folder`; any template error becomes a TemplateProblem with file and line."""
    try:
        return environment(folder, rounding).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"模板 {exc.filename or name}:行{exc.lineno}：语法错误：{exc.message}"
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"模板 {_where(exc, folder, name)}：{_message(exc)}") from None


def _where(exc: BaseException, folder: Path, name: str) -> str:
    """The innermost template frame of the traceback: Jinja compiles templates to code with their filename."""
    frame = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(str(folder)):
            frame = tb
        tb = tb.tb_next
    if frame is None:
        return name
    filename = Path(frame.tb_frame.f_code.co_filename).relative_to(folder).as_posix()
    template = frame.tb_frame.f_globals.get("__jinja_template__")
    line = template.get_corresponding_lineno(frame.tb_lineno) if template else frame.tb_lineno
    return f"{filename}:行{line}"


def _message(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"未定义的变量：{exc.message}"
    return str(exc)
