"""Poster layout: scale the type so the whole statement fills one page.

Every type size in the poster CSS is the theme size times ``--scale``.  The
scale starts from the page (a 24x36 poster is read from farther away than a
letter sheet) and is then fitted to the content: the largest scale at which
everything still lays out on one page.  If even the smallest legible scale
needs a second page, the build stops and says what it reached.

Fitting lays the poster out one to six times (3.2 on average over the nine
sizes in three languages), where a bisection took eleven.  One layout says how
tall the content is against the page's room (summed over its pages when it
overflows), and bounds where the largest fitting scale can be: content is at
least as tall, in proportion to the scale, at a larger scale (see ``bounds``),
so a layout with room to spare says how far the scale can grow at most, and one
that overflows how far it must shrink at least.  A layout that fits also says
which paragraphs will surely take another line, and when (``line_growth``):
that brings the bound down to where the content surely outgrows the page, often
within the tolerance of the layout itself.  Within those bounds the next
scale is predicted (the height of text grows as a power of the type size, about
1.8 here, which each further layout measures), and a layout that fits within the
tolerance of the upper bound settles the fit at once.  Content grows in steps of
a line, so just past a scale that fits, the fit steps by its tolerance.  It stays
within 1% of what bisection finds (``tests/test_poster_fit.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from generator.content.pages import IN, Page
from generator.errors import MissionpressError
from generator.pdf.printing import PrintOptions
from generator.render import context

if TYPE_CHECKING:
    from generator.documents.project import Project
    from generator.render.context import Edition

LETTER_SHORT_SIDE = 8.5 * IN
MIN_BODY_PT_AT_LETTER = 7.0  # smallest legible body text on a letter sheet
MAX_FACTOR = 2.0  # never larger than twice the theme's size for the page
TOLERANCE = 0.008  # the fitted scale is within 0.8% of the largest that fits
POWER = 1.8  # first guess: content height ~ scale**POWER (measured on the built-in poster)
MIN_POWER, MAX_POWER = 1.3, 2.2  # what a measurement of that power is held within
MARGIN = 0.002  # a predicted scale is taken this much smaller (content grows in steps: land just short)
SLACK = 0.001  # how far the bounds of ``bounds`` are relaxed
WRAPPING = {"normal", "pre-wrap", "pre-line", "break-spaces"}  # white-space values that wrap lines
SPACES = re.compile(r"[ \t\n]+")  # where a line may break (not a no-break space: words glued together)
STEP = 1.5  # a prediction this many tolerances above the best fit is taken as one tolerance step
MAX_LAYOUTS = 8  # a safety net: the fit takes 2 to 6


class Trial(Protocol):
    """What ``fit`` needs to know of one layout."""

    @property
    def scale(self) -> float: ...

    @property
    def pages(self) -> int: ...

    @property
    def height(self) -> float: ...  # the content's height, summed over its pages

    @property
    def room(self) -> float: ...  # the height of one page's content area


@dataclass(frozen=True)
class Layout:
    """One layout of the poster at one scale."""

    html: str  # the HTML both writers read
    document: Any  # the weasyprint.Document it lays out to
    scale: float  # the multiplier applied to every theme size
    height: float = field(init=False)
    room: float = field(init=False)
    lines: tuple[Growth, ...] = field(init=False)  # see ``line_growth``
    columns: bool = field(init=False)  # text set in balanced columns: see ``bounds``

    def __post_init__(self) -> None:
        pages = [page._page_box for page in self.document.pages]
        try:
            height = content_height(pages)
            lines = tuple(line_growth(pages[0])) if len(pages) == 1 else ()
            columns = any(_columned(box) for page in pages for box in _boxes(page))
        except (AttributeError, TypeError, KeyError):  # the box tree is WeasyPrint's own and may change
            height, lines, columns = float("nan"), (), True
        room = max((box.height for box in pages), default=0.0)
        if not math.isfinite(height):  # then the fit goes by page counts alone (more layouts, same result)
            height = room * (len(pages) - 0.5) if len(pages) > 1 else room * 0.9
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "room", room)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "columns", columns)

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def content_height(pages: list[Any]) -> float:
    """How tall the content of laid-out pages (WeasyPrint's page boxes) is, as if they were one page.

    Each page counts from the top of its content area to the bottom of the last
    box that ends on it; where a page breaks, the margin the break swallowed
    (truncated at the bottom of one page and the top of the next) is added back.
    A box split by a break is stretched to the bottom of its page and does not
    count; the boxes inside it do.  This reads WeasyPrint's box tree, which is
    not public API: boxes are told apart by class name, and a change there
    only costs layouts (``Layout`` then falls back to page counts).
    """
    boxes = [_boxes(page) for page in pages]
    elements = [{id(b.element) for b in page if b.element is not None} for page in boxes]
    total = 0.0
    for i, page in enumerate(boxes):
        later = elements[i + 1] if i + 1 < len(boxes) else set()
        top = pages[i].content_box_y()
        ends = [b for b in page if _is(b, "LineBox") or b.element is None or id(b.element) not in later]
        bottom = max((b.position_y + b.border_height() for b in ends), default=top)
        total += bottom - top
        if later:  # the margins around the break, collapsed into one
            closing = [b.margin_bottom for b in ends if abs(b.position_y + b.border_height() - bottom) < 0.5]
            opening = [_length(b.style["margin_top"]) for b in boxes[i + 1]
                       if abs(b.position_y - top) < 0.5 and (b.element is None or id(b.element) not in elements[i])]
            total += max([0.0, *closing, *opening])
    return total


def line_growth(page_box: Any) -> Iterator[Growth]:
    """Where paragraphs of a page surely gain a line as the scale grows.

    Lines are broken greedily, so at a larger scale every line ends at the same word
    or an earlier one, and a paragraph's last line holds at least the words it holds
    now, each wider in proportion.  Once those are wider than the line, with two
    words or more (a space to break at, not a no-break one), the paragraph has
    another line (text only: an inline picture or block may be of a size that does
    not grow).  Only paragraphs stacked in the page's flow are read, directly or in the cells of a
    grid that is (not in a flex box, table, float or box of set height), where
    another line makes the content taller by as much, or the cell's row once the
    cell's content outgrows it (not in a box set in columns).
    """
    stack: list[tuple[Any, Cell | None]] = [(c, None) for c in reversed(page_box.children)
                                            if not _is(c, "MarginBox")]
    while stack:
        box, cell = stack.pop()
        children = [c for c in getattr(box, "children", ()) if not _out_of_flow(c)]
        lines = [c for c in children if _is(c, "LineBox")]
        if lines:
            last = lines[-1]
            words = SPACES.split(_text(last).strip(" \t\n"))
            if (len(words) >= 2 and box.style["white_space"] in WRAPPING and last.children
                    and not _holds(last, "AtomicInlineLevelBox")):  # text only: a picture's size may be fixed
                used = max(c.position_x + c.margin_width() for c in last.children) - last.position_x
                if used > 0:
                    yield Growth(box.width / used, min(line.height for line in lines), cell)
        elif _is(box, "GridBox") and cell is None:
            items = [(item, (id(box), round(item.position_y, 1)), _used(item)) for item in children]
            rows: dict[tuple[int, float], float] = {}
            for _, row, used in items:
                rows[row] = max(rows.get(row, 0.0), used)
            stack.extend((item, Cell(row, id(item), used, rows[row]))
                         for item, row, used in reversed(items) if _is(item, "BlockBox"))
        elif _is(box, "BlockBox"):  # a grid in a cell is not read
            stack.extend((c, cell) for c in reversed(children) if _stacked(c))


class Cell(NamedTuple):
    """A grid cell: its row (the grid's and its top), itself, how tall its content is, and how tall the row is."""

    row: tuple[int, float]
    item: int
    used: float
    height: float


class Growth(NamedTuple):
    """A paragraph that surely has another line beyond ``ratio`` times the scale, of ``line`` height."""

    ratio: float
    line: float
    cell: Cell | None


def _used(item: Any) -> float:
    """How tall a grid cell's content is, margins included (the cell may be stretched to its row)."""
    inner = [c for c in item.children if not _out_of_flow(c)]
    bottom = max((c.position_y + c.margin_height() for c in inner), default=item.content_box_y())
    return bottom - item.position_y + item.padding_bottom + item.border_bottom_width + item.margin_bottom


def _columned(box: Any) -> bool:
    """A box whose content is set in columns (CSS multi-column)."""
    style = getattr(box, "style", None)
    return style is not None and (style["column_count"] != "auto" or style["column_width"] != "auto")


def _stacked(box: Any) -> bool:
    """A block (or grid) in normal flow whose height is its content's, not set in columns (a line
    more in a column makes the columns, balanced, taller by a share of it only)."""
    return (_is(box, "BlockBox", "GridBox") and box.style["float"] == "none" and box.style["height"] == "auto"
            and box.style["position"] in ("static", "relative") and not _columned(box))


def _holds(box: Any, kind: str) -> bool:
    return any(_is(c, kind) or _holds(c, kind) for c in getattr(box, "children", ()))


def _text(box: Any) -> str:
    if _is(box, "TextBox"):
        return str(box.text)
    return "".join(_text(c) for c in getattr(box, "children", ()))


def _is(box: Any, *kinds: str) -> bool:
    return any(cls.__name__ in kinds for cls in type(box).__mro__)


def _boxes(page_box: Any) -> list[Any]:
    """The block-level, line and replaced boxes of a page's content area, in tree order."""
    found: list[Any] = []
    stack = [c for c in reversed(page_box.children) if not _is(c, "MarginBox")]
    while stack:
        box = stack.pop()
        if _out_of_flow(box):  # a band pinned to the page's foot is not content filling the page
            continue
        found.append(box)
        if not _is(box, "LineBox"):
            stack.extend(reversed(getattr(box, "children", ())))
    return [b for b in found if _is(b, "BlockLevelBox", "LineBox", "FlexBox", "ReplacedBox")]


def _out_of_flow(box: Any) -> bool:
    """An absolutely positioned box (WeasyPrint wraps it in a placeholder), or a fixed one."""
    if type(box).__name__ == "AbsolutePlaceholder":
        return True
    style = getattr(box, "style", None)
    return style is not None and style["position"] in ("absolute", "fixed")


def _length(value: Any) -> float:
    """A computed CSS length in CSS pixels, the unit of laid-out boxes; 0 for anything else."""
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def layouts(project: Project, editions: list[Edition], sheet: Page, options: PrintOptions | None = None, *,
            template: str = "poster.html", layout_name: str = "classic", for_word: bool = False
            ) -> Callable[[float], Layout]:
    """The poster (``template``, of layout ``layout_name``) laid out at a given scale, for ``fit``;
    ``for_word`` lays it out as the Word handout flows."""
    options = options or PrintOptions()
    profile = [options.profile] if options.profile else []
    art = project.artwork(editions)

    def layout(scale: float) -> Layout:
        html = project.html(template, lambda: context.poster(editions, project.theme, sheet, scale, options, art,
                                                             layout_name, for_word), editions)
        return Layout(html, project.layout(html, template, also=profile), scale)

    return layout


def first_guess(editions: int) -> float:
    """Where to start: languages side by side each get a share of the width, so type of 1/sqrt(n)."""
    return 1 / math.sqrt(max(editions, 1))


def page_scale(page: Page) -> float:
    """How much larger than on letter the type should be on this page."""
    return min(page.width, page.height) / LETTER_SHORT_SIDE


T = TypeVar("T", bound=Trial)


class DoesNotFit(MissionpressError):
    """The statement does not fit one page even at the smallest legible size (the Word handout runs on)."""


def fit(page: Page, body_pt: float, layout: Callable[[float], T], guess: float = 1.0) -> T:
    """The largest scale (within about ``TOLERANCE``) at which ``layout(scale)`` gives one page.

    The first layout is at ``guess`` times the page's scale (see :func:`first_guess`).
    """
    base = page_scale(page)
    smallest, largest = base * MIN_BODY_PT_AT_LETTER / body_pt, base * MAX_FACTOR
    trials: list[T] = []
    scale = min(max(base * guess, smallest), largest)
    for _ in range(MAX_LAYOUTS):
        trials.append(layout(scale))
        best = max((t for t in trials if t.pages == 1), key=lambda t: t.scale, default=None)
        low, high = bounds(trials)
        high = min(high, largest)
        if best is not None and high <= best.scale * (1 + TOLERANCE):
            return best
        if best is None and scale <= smallest:
            break
        scale = min(max(_next_scale(trials, best, low, high, largest), smallest), largest)
        overflowed = min((t.scale for t in trials if t.pages > 1), default=math.inf)
        if scale >= overflowed:  # a bound the layouts broke (columns balanced anew may not grow in proportion)
            if best is not None and overflowed <= best.scale * (1 + TOLERANCE):
                return best
            scale = max(math.sqrt(best.scale * overflowed) if best else overflowed * (1 - STEP * TOLERANCE), smallest)
    fitting = [t for t in trials if t.pages == 1]
    if fitting:
        return max(fitting, key=lambda t: t.scale)
    at_smallest = trials[-1] if trials and trials[-1].scale <= smallest else layout(smallest)
    if at_smallest.pages == 1:
        return at_smallest
    raise DoesNotFit(
        f"poster {page.name}: the statement does not fit on one page even with body text at "
        f"{body_pt * smallest:.1f} pt, the smallest legible size for this page "
        f"({at_smallest.pages} pages at that size); shorten the content or choose a larger size"
    )


def bounds(trials: list[T]) -> tuple[float, float]:
    """The largest scale known to fit and a bound no fitting scale exceeds, from the layouts so far.

    Besides the layouts themselves: a poster laid out at a larger scale is the same
    poster enlarged on a page relatively narrower, so its lines can only hold fewer
    words and its content is at least as tall, in proportion to the scale, as that
    of a smaller one.  So a layout that fits with room to spare says the content
    would overflow beyond ``scale * room / height``, and one that overflows says
    all would fit at ``scale * room / height``.  (Sizes a template sets without
    ``--scale`` do not grow; ``SLACK`` allows for a little of that.)
    """
    fitting = [t for t in trials if t.pages == 1]
    best = max((t.scale for t in fitting), default=0.0)
    low = max([best, *(t.scale * t.room / t.height / (1 + SLACK) for t in trials
                       if t.pages > 1 and t.height > t.room)])
    high = min([*(t.scale for t in trials if t.pages > 1),
                *(_overflows_beyond(t) * (1 + SLACK) for t in fitting if t.height > 0)], default=math.inf)
    return low, max(high, best)


def _overflows_beyond(trial: Trial) -> float:
    """The scale beyond which a layout that fits would surely overflow: content grows at least in
    proportion, and by a line where a paragraph surely gains one (``line_growth``, if the layout says).
    Not so for text in balanced columns, whose lines move from column to column as it grows: no bound."""
    if getattr(trial, "columns", False):
        return math.inf
    growth = sorted(getattr(trial, "lines", ()), key=lambda g: g.ratio)
    for i, (ratio, _, _) in enumerate(growth):
        ratio *= 1 + SLACK
        before, after = _taller(growth[:i]), _taller(growth[:i + 1])
        if ratio * (trial.height + before) > trial.room:
            return trial.scale * trial.room / (trial.height + before)
        if ratio * (trial.height + after) > trial.room:
            return trial.scale * ratio
    return trial.scale * trial.room / (trial.height + _taller(growth))


def _taller(growth: list[Growth]) -> float:
    """How much taller content is once these paragraphs have another line each."""
    rows = {g.cell.row: g.cell.height for g in growth if g.cell is not None}
    cells: dict[tuple[tuple[int, float], int], float] = {}
    for g in growth:
        if g.cell is not None:
            cells[g.cell.row, g.cell.item] = cells.get((g.cell.row, g.cell.item), g.cell.used) + g.line
    grown = dict(rows)
    for (row, _), used in cells.items():
        grown[row] = max(grown[row], used)
    return sum(g.line for g in growth if g.cell is None) + sum(grown[row] - rows[row] for row in rows)


def _next_scale(trials: list[T], best: T | None, low: float, high: float, largest: float) -> float:
    """Where to lay out next, given that the largest fitting scale is between ``low`` and ``high``.

    A layout that fits within a tolerance of ``high`` settles the fit; so does one
    that overflows within a tolerance above the best fit so far.  Between those the
    scale is predicted from the layout whose content came nearest to filling the page.
    """
    window = high / (1 + TOLERANCE)  # a layout that fits at this scale or above settles it
    if low >= window and (best is None or low > best.scale):
        return low  # known to fit (from a layout that overflowed) and within the tolerance
    # Predicted from the layout that came nearest to filling the page: one that fits if any (the content
    # of one that overflows is measured across a page break, which leaves it looking taller than it is).
    basis = min([t for t in trials if t.pages == 1] or trials, key=_misfit)
    edge = min(max(_predict(basis, _power(trials, best)), low), high)
    if edge >= window:
        return largest if high >= largest else window * (1 + 1e-6)
    aim = max(low, edge * (1 - MARGIN))
    if best is not None and aim < best.scale * (1 + STEP * TOLERANCE):
        return best.scale * (1 + TOLERANCE) * (1 - 1e-6)  # overflowing here settles it
    return aim


def _predict(trial: Trial, power: float) -> float:
    """The scale at which the content would fill the room, from one layout."""
    if trial.height <= 0 or trial.room <= 0:
        return trial.scale * (1 + 2 * TOLERANCE)
    return trial.scale * (trial.room / trial.height) ** (1 / power)


def _power(trials: list[T], best: T | None) -> float:
    """The power of the scale that content height grows by, measured between two layouts.

    Those are the largest that fits and the smallest that does not, or else the
    two nearest the page's room.  Only layouts of one or two pages are measured:
    the height of content broken over more pages (columns side by side broken one
    after the other) overstates it.
    """
    usable = sorted((t for t in trials if t.pages <= 2 and t.height > 0), key=lambda t: t.scale)
    above = [t for t in usable if t.pages > 1 and best is not None and t.scale > best.scale]
    if best is not None and above:
        a, b = best, above[0]
    else:
        near = sorted(usable, key=lambda t: abs(t.height - t.room))[:2]
        if len(near) < 2:
            return POWER
        a, b = sorted(near, key=lambda t: t.scale)
    if b.scale < a.scale * 1.002:
        return POWER
    measured = math.log(b.height / a.height) / math.log(b.scale / a.scale)
    return min(max(measured, MIN_POWER), MAX_POWER)


def _misfit(trial: Trial) -> float:
    """How far a layout's content is from filling the page, as a ratio either way."""
    return abs(math.log(max(trial.height, 1e-6) / max(trial.room, 1e-6)))
