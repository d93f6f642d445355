"""A scrolling pane of text blocks, drawn one line at a time.

The recap, characters and reviews panes are pure functions of what the main
screen binds to them: each turns its state into `Block`s, and this class
wraps the blocks to the pane's width and draws only the lines in view
(Textual's line API, as its `Log` and `OptionList` do).

Why not one `Static` per block inside a `VerticalScroll`, as before:
Textual renders every line of a widget that is partly in view, and the
compositor cuts each line of the scrolling container at its children's
edges and keeps the pieces (a `Strip` is about 1 KB). Drawn here, the
bundled pack's first screen takes ~0.8 MB less (docs/performance.md).

Data binding pushes every bound value once more right after mount, flagged
as changed even when equal: the blocks are rebuilt only when the state
really differs from what was last drawn.
"""

from __future__ import annotations

from typing import ClassVar, Literal, NamedTuple

from rich.segment import Segment
from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from soundtrack_tui.ui.widgets.scrolling import SCROLL_BINDINGS
from soundtrack_tui.ui.widgets.strips import add_segments, padded_strip

Frame = Literal["box", "bar"]
BOX_STYLE = "$warning"
BAR_STYLE = "$accent"
_NO_TEXT = Content("")


class Block(NamedTuple):
    """One block of a pane: its text, the blank lines around it (between two
    blocks, the larger of the two counts) and how it is set off: "box" frames
    it (the spoiler gate), "bar" draws a bar on its left (the block a search
    result points at); `muted` draws it in the theme's muted text colour."""

    content: Content
    space_after: int = 1
    space_before: int = 0
    frame: Frame | None = None
    muted: bool = False


class _Line(NamedTuple):
    """A drawn line: its text (what a mouse selection copies) between the
    frame's left and right parts."""

    text: Content
    left: Content = _NO_TEXT
    right: Content = _NO_TEXT
    muted: bool = False


class TextPane(ScrollView, can_focus=True):
    """Subclasses name their state in `STATE` and turn it into blocks in
    `build`; each reactive in `STATE` has `watch_<name> = TextPane.changed`."""

    BINDINGS: ClassVar[list[BindingType]] = SCROLL_BINDINGS
    STATE: ClassVar[tuple[str, ...]] = ()
    # "auto 60%" (the theme's $text-muted) is a colour only CSS can resolve.
    COMPONENT_CLASSES: ClassVar[set[str]] = {"text-pane--muted"}

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=f"pane {classes or ''}".strip())
        self.border_title = title
        self.blocks: tuple[Block, ...] = ()
        self.target: int | None = None
        """The block to scroll into view, if any."""
        self._drawn: tuple[object, ...] | None = None
        self._pending = False
        self._lines: list[_Line] = []
        self._spans: list[tuple[int, int]] = []
        self._wrapped_at = 0
        self._reveal_pending = False
        self._episode_shown: int | None = None

    # -- state -----------------------------------------------------------------

    def state(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.STATE)

    def build(self) -> tuple[list[Block], int | None]:
        """The blocks for the current state, and which one to reveal."""
        raise NotImplementedError

    def changed(self) -> None:
        """A bound value changed: rebuild once the current message is done."""
        if not self._pending:
            self._pending = True
            self.call_next(self._rebuild)

    def on_mount(self) -> None:
        self.changed()

    def _rebuild(self) -> None:
        self._pending = False
        state = self.state()
        if state == self._drawn:
            return
        self._drawn = state
        blocks, target = self.build()
        self.blocks, self.target = tuple(blocks), target
        self._wrapped_at = 0
        self._wrap()
        self._top_for_another_episode()
        self._reveal_pending = target is not None
        self._reveal()

    def episode_number(self) -> int | None:
        """The episode the pane shows, for a pane that shows one."""
        return None

    def _top_for_another_episode(self) -> None:
        """Another episode is read from its top: the scroll kept from a long
        one would open the next mid-sentence, or hide its only line."""
        number = self.episode_number()
        if number != self._episode_shown:
            self._episode_shown = number
            self.scroll_home(animate=False, immediate=True)

    @property
    def text(self) -> str:
        """The plain text of every block, one block per line."""
        return "\n".join(block.content.plain for block in self.blocks)

    # -- layout ----------------------------------------------------------------

    def on_resize(self) -> None:
        self._wrap()
        self._reveal()

    def _wrap(self) -> None:
        """Wrap the blocks to the pane's width (again only if it changed)."""
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_at:
            return
        self._wrapped_at = width
        lines: list[_Line] = []
        spans: list[tuple[int, int]] = []
        gap = 0
        for block in self.blocks:
            lines.extend(_Line(_NO_TEXT) for _ in range(max(gap, block.space_before)))
            framed = _framed(block, width)
            spans.append((len(lines), len(framed)))
            lines.extend(framed)
            gap = block.space_after
        lines.extend(_Line(_NO_TEXT) for _ in range(gap))
        self._lines, self._spans = lines, spans
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def block_lines(self, index: int) -> tuple[int, int]:
        """First line and line count of block `index`, as wrapped now."""
        return self._spans[index]

    def _reveal(self) -> None:
        if self._reveal_pending and self.target is not None and self._wrapped_at:
            self._reveal_pending = False
            # After the refresh that applies the new virtual size.
            self.call_after_refresh(self._scroll_to_target)

    def _scroll_to_target(self) -> None:
        if self.target is not None and self.target < len(self._spans):
            start, height = self.block_lines(self.target)
            # `force`: right after the virtual size grows, the scrollbar may
            # not be laid out yet, and an unforced scroll would be dropped.
            self.scroll_to(y=self.reveal_y(start, height), animate=False, immediate=True, force=True)

    def reveal_y(self, start: int, height: int) -> int:
        """Where to scroll to show a block at line `start`: at the top."""
        return start

    # -- drawing ---------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line `y` of the view as one strip: every line drawn is kept by
        Textual's caches for a while, so no intermediate strips are made."""
        scroll_y = self.scroll_offset.y
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.visual_style.rich_style)
        line = self._lines[index]
        style = self.get_visual_style("text-pane--muted") if line.muted else self.visual_style
        text = line.text
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(index)) is not None:
            start, end = span
            selected = Style.from_styles(self.screen.get_component_styles("screen--selection"))
            text = text.stylize(selected, start, len(text.plain) if end == -1 else end)
        segments: list[Segment] = []
        add_segments(segments, line.left, style)
        add_segments(segments, text, style, index)
        add_segments(segments, line.right, style)
        used = line.left.cell_length + text.cell_length + line.right.cell_length
        return padded_strip(segments, used, width, style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract("\n".join(line.text.plain for line in self._lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()


def _framed(block: Block, width: int) -> list[_Line]:
    """The lines of `block` at `width` cells, its frame included."""
    if block.frame == "bar":
        bar = Content.styled("█", BAR_STYLE) + Content(" ")
        return [_Line(line, bar, muted=block.muted) for line in _wrapped(block.content, width - 2)]
    if block.frame == "box":
        inner = max(width - 4, 1)
        side = Content.styled("│", BOX_STYLE)
        edge = "─" * max(width - 2, 0)
        lines = [_Line(_NO_TEXT, Content.styled(f"╭{edge}╮", BOX_STYLE))]
        for line in _wrapped(block.content, inner):
            fill = Content(" " * (inner - line.cell_length + 1))
            lines.append(_Line(line, side + Content(" "), fill + side))
        lines.append(_Line(_NO_TEXT, Content.styled(f"╰{edge}╯", BOX_STYLE)))
        return lines
    return [_Line(line, muted=block.muted) for line in _wrapped(block.content, width)]


def _wrapped(content: Content, width: int) -> list[Content]:
    return content.wrap(max(width, 1)) or [_NO_TEXT]
