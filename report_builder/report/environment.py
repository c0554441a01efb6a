"""The template environment: sandboxed and bounded (templates may come from another office), strict (a misspelt
variable is an error naming the template line, never an empty gap), escaping for the XML document markup, with
the Chinese filters bound to the data folder's rounding mode.
"""

from __future__ import annotations

import decimal
import functools
import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from report_builder.issues import BadInput, IssueCode, Location
from report_builder.numbers import Rounding
from report_builder.report.filters import FILTERS
from report_builder.report.sandbox import BoundedEnvironment, LimitExceeded
from report_builder.report.template_folder import inside, shipped_names
from report_builder.shipped import TEMPLATES


class _FolderLoader(jinja2.FileSystemLoader):
    """A folder's files, and nothing a link inside it leads to outside it (checked before the file is read)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.root, self.name = folder.resolve(), name
        super().__init__(str(self.root))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.root.joinpath(*jinja2.loaders.split_template_path(template))
        if path.is_file():
            inside(self.root, path, self.name)
        return super().get_source(environment, template)


def _loader(folder: Path) -> jinja2.BaseLoader:
    """The template's own folder first, then the shipped templates by name: a folder of one's own may
    `{% extends 'quarterly/report.xml.j2' %}` and override a block."""
    shipped = {name: _FolderLoader(TEMPLATES / name, name) for name in shipped_names()}
    return jinja2.ChoiceLoader([_FolderLoader(folder, folder.name), jinja2.PrefixLoader(shipped)])


def environment(folder: Path, rounding: Rounding = Rounding.HALF_UP) -> BoundedEnvironment:
    """A fresh environment for one render: its budget of steps and time starts now."""
    filters = {
        name: functools.partial(func, rounding=rounding)
        if "rounding" in inspect.signature(func).parameters
        else func
        for name, func in FILTERS.items()
    }
    return BoundedEnvironment(
        filters,
        loader=_loader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(
    folder: Path, name: str, context: Mapping[str, object], rounding: Rounding = Rounding.HALF_UP
) -> str:
    """Render `name` from `folder`; any error the template makes — a syntax error, a limit, a division by zero
    in an expression, a filter given text — becomes BadInput naming the template file and line."""
    try:
        return environment(folder, rounding).get_template(name).render(**context)
    except BadInput:
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = _template_location(folder, exc.filename or name, exc.lineno)
        raise BadInput.of(IssueCode.BAD_TEMPLATE, where, why=f"语法错误：{exc.message}") from None
    except LimitExceeded as exc:
        where = _where(exc, folder, name)
        raise BadInput.of(IssueCode.TEMPLATE_LIMIT, where, what=exc.what, limit=exc.limit) from None
    except Exception as exc:  # raised by the template's own expressions, or by what it called with them
        raise BadInput.of(IssueCode.BAD_TEMPLATE, _where(exc, folder, name), why=_message(exc)) from exc


def _roots(folder: Path) -> list[tuple[Path, str]]:
    """Where template files are, with how a user names them: `本局季报/report.xml.j2`, `quarterly/…`."""
    return [(folder.resolve(), folder.name), (TEMPLATES.resolve(), "")]


def _template_location(folder: Path, filename: str, line: int | None) -> Location:
    """`quarterly/report.xml.j2:行38`: the template folder's name with the file, as a user finds it."""
    path = Path(filename)
    for root, prefix in _roots(folder):
        if path.is_absolute() and path.is_relative_to(root):
            return Location(Path(prefix, path.relative_to(root)).as_posix(), row=line)
    return Location(f"{folder.name}/{filename}", row=line)


def _where(exc: BaseException, folder: Path, name: str) -> Location:
    """The innermost template frame of the traceback: Jinja rewrites it to carry the template file and line."""
    roots, line, filename = [root for root, _ in _roots(folder)], None, name
    tb = exc.__traceback__
    while tb is not None:
        if any(Path(tb.tb_frame.f_code.co_filename).is_relative_to(root) for root in roots):
            line, filename = tb.tb_lineno, tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return _template_location(folder, filename, line)


_MESSAGES: dict[type[BaseException], Callable[[Any], str]] = {
    jinja2.UndefinedError: lambda exc: f"未定义的变量：{exc.message}",
    jinja2.TemplateNotFound: lambda exc: f"找不到模板文件“{exc.name}”",
    jinja2.sandbox.SecurityError: lambda exc: f"沙箱不允许这样做：{exc}",
    ZeroDivisionError: lambda exc: "除数为零",  # also Decimal's DivisionByZero and 0/0
    decimal.DecimalException: lambda exc: "数值运算无效",
    RecursionError: lambda exc: "宏或循环的递归过深",
    OverflowError: lambda exc: f"数值溢出：{exc}",
}


def _message(exc: BaseException) -> str:
    """In Chinese where Python's words would puzzle a user; a filter's own message is already Chinese."""
    return next((words(exc) for kind, words in _MESSAGES.items() if isinstance(exc, kind)), str(exc))
