"""The sandbox a report template runs in, with limits on what it may cost.

A template may come from another office. Jinja's sandbox keeps it away from Python's internals but not from
the machine: nested `range(100000)` loops run for hours, `10**(10**8)` for minutes and `'a' * 10**10` takes
20 GB. Here one budget per render counts every loop iteration, call and filter and checks the clock as it
goes — no signal and no timer thread, so it works the same in any thread of a worker process — and every
operation that can multiply a size is checked before it runs: `*` and `**`, a call or filter whose text or
list arguments times its largest number (a width, a count) could exceed the limit, a `~` join, the output.
Templates may not format text themselves (`%`, `format`): numbers go through the filters.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_SECONDS = 60  # wall time of one render; a report renders in well under a second
MAX_STEPS = 2_000_000  # loop iterations, calls and filters of one render
MAX_CHARS = 1_000_000  # characters of output, and characters or items of any one value a template builds
MAX_RANGE = 100_000  # items of one range()
MAX_DIGITS = 100  # decimal digits of an integer a template computes
_MAX_BITS = math.ceil(MAX_DIGITS / math.log10(2))

_LOOP, _PART = "_metered_loop", "_bounded_part"  # internal filters the compiler wraps around loops, `~` parts
_SIZED = (str, bytes, list, tuple, set, frozenset, dict, range)


class LimitExceeded(jinja2.TemplateRuntimeError):
    """A template went past a limit: `what` went past `limit`, both in words for the message."""

    def __init__(self, what: str, limit: str) -> None:
        super().__init__(f"{what}超过{limit}")
        self.what, self.limit = what, limit


class NoFormatting(jinja2.TemplateRuntimeError):
    def __init__(self) -> None:
        super().__init__("模板不能自行格式化文字（% 和 format）：数字请用 count、amount、value 等过滤器")


def _wan(n: int) -> str:
    return f"{n // 10000}万" if n >= 10000 else str(n)


def _size(value: object, budget: int = MAX_CHARS) -> int:
    """Characters or items `value` stands for, with what its lists hold; counting stops once past `budget`,
    so a list that repeats one long text a million times costs no more than the budget to measure."""
    if isinstance(value, (str, bytes, range)):
        return len(value)
    if not isinstance(value, _SIZED):
        return 0
    total = len(value)
    items = value.items() if isinstance(value, dict) else value
    for item in items:
        if total > budget:
            break
        total += _size(item, budget - total)
    return total


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _cost(pieces: Iterable[object], numbers: Iterable[object]) -> int:
    """The most a builtin can build from these arguments: the product of the sizes of its text and list
    `pieces` (`replace`, `join`), times its largest number (`center(n)`, `batch(n, fill)`)."""
    cost = 1
    for piece in pieces:
        cost *= 1 + _size(piece)
        if cost > MAX_CHARS:
            return cost
    return cost * (1 + max((abs(n) for n in numbers if _is_int(n)), default=0))


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LimitExceeded(f"range 的长度（{len(numbers)}）", _wan(MAX_RANGE))
    return numbers


def _no_formatting(*args: Any, **kwargs: Any) -> str:
    raise NoFormatting()


class _Metered(NodeTransformer):
    """Wraps every loop's iterable and every part of a `~` join in the internal filters that check them."""

    def __init__(self, environment: jinja2.Environment) -> None:
        self.environment = environment

    def _wrap(self, expr: nodes.Expr, name: str) -> nodes.Filter:
        wrapped = nodes.Filter(expr, name, [], [], None, None, lineno=expr.lineno)
        return wrapped.set_environment(self.environment)

    def visit_For(self, node: nodes.For) -> nodes.For:
        node = self.generic_visit(node)
        node.iter = self._wrap(node.iter, _LOOP)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Concat:
        node = self.generic_visit(node)
        node.nodes = [self._wrap(part, _PART) for part in node.nodes]
        return node


class _MeteredCode(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        super().visit_Template(_Metered(self.environment).visit(node), frame)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with a budget; one instance per render (the budget starts when it is made).

    Immutable: a template cannot change the lists it is given (the targets, the towns) behind the report's back.
    """

    code_generator_class = _MeteredCode
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, filters: Mapping[str, Callable[..., Any]], **options: Any) -> None:
        """`filters` are added to Jinja's; all of them are metered."""
        super().__init__(finalize=self._output, **options)
        self._deadline = time.monotonic() + MAX_SECONDS
        self._steps = self._written = 0
        self.globals.pop("lipsum")  # n paragraphs of up to m words: a multiplier no report needs
        self.globals["range"] = _bounded_range
        self.filters = {name: self._metered(name, func)
                        for name, func in {**self.filters, "format": _no_formatting, **filters}.items()}  # fmt: skip
        self.filters[_LOOP] = self._loop
        self.filters[_PART] = self._part

    def _tick(self) -> None:
        self._steps += 1
        if self._steps > MAX_STEPS:
            raise LimitExceeded("循环、调用和过滤器的次数", f"{_wan(MAX_STEPS)}次")
        if time.monotonic() > self._deadline:
            raise LimitExceeded("运行时间", f"{MAX_SECONDS}秒")

    def _check_cost(self, what: str, pieces: Iterable[object], numbers: Iterable[object]) -> None:
        if _cost(pieces, numbers) > MAX_CHARS:
            raise LimitExceeded(f"“{what}”可能生成的文字或列表", f"{_wan(MAX_CHARS)}字符（项）")

    def _check_size(self, what: str, size: int, unit: str = "字符（项）") -> None:
        if size > MAX_CHARS:
            raise LimitExceeded(what, f"{_wan(MAX_CHARS)}{unit}")

    def _loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self._tick()
            yield item

    def _part(self, value: Any) -> Any:
        """A part of `a ~ b`, measured before `~` turns it into text: a list nested in itself by a loop is
        small in memory and huge as text."""
        self._check_size("用 ~ 连接的一段", _size(value), "字符")
        return value

    def _output(self, value: Any) -> str:
        """Every `{{ … }}`, counted before it is escaped (which copies it), so output repeated in a macro's
        loop is refused as it is made; a list is measured before it is turned into text."""
        if not isinstance(value, str):
            self._check_size("模板输出", self._written + _size(value), "字符")
            value = str(value)
        self._written += len(value)
        self._check_size("模板输出", self._written, "字符")
        return value

    def concat(self, parts: Iterable[str]) -> str:
        """Joins the output (and each macro's and block's), counting as it goes: text repeated in a loop is
        refused before it is joined."""
        out, size = [], 0
        for part in parts:
            size += len(part)
            self._check_size("模板输出", size, "字符")
            out.append(part)
        return "".join(out)

    def _metered(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """A filter that counts as a step and is refused when it could build too much. The filtered value's
        size counts, a number filtered does not (`{{ 10**9 | amount }}` is fine)."""
        skip = 1 if getattr(func, "jinja_pass_arg", None) else 0

        @functools.wraps(func)
        def metered(*args: Any, **kwargs: Any) -> Any:
            self._tick()
            parameters = [*args[skip + 1 :], *kwargs.values()]
            self._check_cost(name, [args[skip], *parameters], parameters)
            return func(*args, **kwargs)

        return metered

    def wrap_str_format(self, value: Any) -> None:
        """Jinja would sandbox `str.format`; a template has no need of it, and a width in the format string
        (`'{:>9999999999}'`) is a size no argument shows."""
        if super().wrap_str_format(value) is not None:
            raise NoFormatting()

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call is a step. A recursive loop's `loop(children)` is metered like any loop; a macro builds
        only what it outputs, which is counted; any other callable's arguments are checked for its cost."""
        __self._tick()
        if isinstance(__obj, LoopContext) and args:
            args = (__self._loop(args[0]), *args[1:])
        elif not isinstance(__obj, Macro) and __obj is not _bounded_range:
            parameters = [*args, *kwargs.values()]
            owner = getattr(__obj, "__self__", None)  # the text of 'abc'.replace
            __self._check_cost(getattr(__obj, "__name__", "调用"), [owner, *parameters], parameters)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**` and `+` are checked before they run; `%` on text is formatting, left to the filters."""
        if operator == "%" and isinstance(left, str):
            raise NoFormatting()
        ints = _is_int(left) and _is_int(right)
        if operator == "**" and ints and right * math.log2(abs(left) or 1) > _MAX_BITS:
            raise LimitExceeded("乘方的结果", f"{MAX_DIGITS}位")
        if operator == "*" and ints and abs(left).bit_length() + abs(right).bit_length() > _MAX_BITS:
            raise LimitExceeded("乘积", f"{MAX_DIGITS}位")
        if operator == "*" and not ints and (_is_int(left) or _is_int(right)):
            times, piece = (left, right) if _is_int(left) else (right, left)
            self._check_size("重复（*）的结果", max(times, 0) * _size(piece))
        if operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
            self._check_size("相加（+）的结果", _size(left) + _size(right))
        return super().call_binop(context, operator, left, right)
