"""Long lists in pages: a page of items, a line saying which, and a More button.

Slack allows 50 blocks and 3,000 characters a text; a Teams card must stay under 80 KB
and shows only the first 5 or 6 buttons of a set. A list of 2,000 members, or of 45
long access needs, fits neither, and splitting it into a dozen messages helps nobody.
So every list that can grow without bound shows one page at a time, cut by a number of
items and by characters. The More button carries the list's call with the next page as a
value; the text version says what to type for it (`members pride page 2`), which works
just as well. Leads get the whole list as a file as well (see `csv_file`).

Pages are worked out from the start of the list each time, so the same list always
breaks into the same pages, and the next page starts where this one stopped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.errors import UserError
from bot.messages import Attachment, Button, Call, Section

# Small enough for a phone screen, and far under every platform's limits.
PAGE_ITEMS = 20
# Characters of list text a page may hold: under Slack's 3,000 a text block, with room for
# escaping (`&` becomes `&amp;`) and the line saying what is shown.
PAGE_CHARS = 2_500
# Teams shows only the first 5 or 6 buttons of a set, so item buttons go in sets of 5.
BUTTONS_PER_SET = 5
# Slack cuts a button label at 75 characters; Teams wraps long titles badly. Labels that
# name their item ("Cancel: <title>") are shortened within this, with an ellipsis.
MAX_LABEL = 75
# Far beyond any real list, and small enough that no number typed here is a problem.
LAST_PAGE_NUMBER = 100_000

T = TypeVar("T")

# ASCII digits only: `\d` would take `²`, which `int()` then refuses.
_PAGE_SUFFIX = re.compile(r"(?:^|\s)page\s+#?([0-9]{1,6})\s*$", re.IGNORECASE)
_CUT_MARK = "…"


def split_page(args: str) -> tuple[str, int]:
    """`pride page 3` -> ("pride", 3); without `page <n>` the first page is meant."""
    rest, number = typed_page(args)
    return rest, page_number(number)


def typed_page(args: str) -> tuple[str, int | None]:
    """`pride page 3` -> ("pride", 3), `pride` -> ("pride", None), the number not yet checked.

    For an argument spec's `parse`: the range is checked by the handler (`page_number`), so
    a command only some people may use refuses the others before it minds their numbers.
    """
    found = _PAGE_SUFFIX.search(args)
    if found is None:
        return args.strip(), None
    return args[: found.start()].strip(), int(found.group(1))


def page_number(page: int | None) -> int:
    """The page a spec's `page` asks for: the first when none was given; a UserError for a
    number no list has (`page 0`)."""
    if page is None:
        return 1
    if not 1 <= page <= LAST_PAGE_NUMBER:
        raise UserError("Pages are numbered from 1, like `page 2`.")
    return page


def page_words(page: int | None) -> str:
    """` page 3` for a spec's `words()` (nothing for the first page)."""
    return f" page {page}" if page is not None and page != 1 else ""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: which items it holds (`start` to `end`, 0-based, end excluded)."""

    number: int
    start: int
    end: int
    total: int
    page_count: int
    lines: tuple[str, ...]

    @property
    def has_more(self) -> bool:
        return self.number < self.page_count

    @property
    def is_whole_list(self) -> bool:
        return self.page_count <= 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def of(self, items: Sequence[T]) -> list[T]:
        """The part of a list kept alongside the lines (say, one button per line) on this page."""
        return list(items[self.start : self.end])

    def shown(self) -> str:
        """`Showing 21-40 of 2,000.` (empty when everything fits on one page)."""
        if self.is_whole_list:
            return ""
        return f"Showing {self.start + 1:,}-{self.end:,} of {self.total:,}."

    def note(self, command: str) -> str:
        """What is shown and how to see the rest, typed: for the text version and the console."""
        if self.is_whole_list:
            return ""
        if self.has_more:
            return f"{self.shown()} `{next_command(command, self)}` shows the next ones."
        return f"{self.shown()} That's the end of the list."


def item_label(action: str, item: str, limit: int = MAX_LABEL) -> str:
    """A button label naming what it acts on: `Cancel: Actionable allyship`, the item's name
    shortened with an ellipsis so the whole label fits `limit` characters."""
    label = f"{action}: {' '.join(item.split())}"
    if len(label) <= limit:
        return label
    return label[: limit - len(_CUT_MARK)].rstrip() + _CUT_MARK


def next_command(command: str, page: Page) -> str:
    return f"{command} page {page.number + 1}"


def _fit(line: str, chars: int) -> str:
    # One item longer than a page (a very long name, say) is cut rather than dropped.
    return line if len(line) <= chars else line[: chars - len(_CUT_MARK)] + _CUT_MARK


def _page_ends(lines: Sequence[str], size: int, chars: int) -> list[int]:
    """Where each page ends: at most `size` items and `chars` characters, at least one item."""
    ends: list[int] = []
    start = 0
    while start < len(lines):
        end = start
        used = 0
        while end < len(lines) and end - start < size:
            cost = min(len(lines[end]), chars) + (1 if end > start else 0)
            if end > start and used + cost > chars:
                break
            used += cost
            end += 1
        ends.append(end)
        start = end
    return ends


def paginate(
    lines: Sequence[str], number: int, *, size: int = PAGE_ITEMS, chars: int = PAGE_CHARS
) -> Page:
    """Page `number` (from 1) of `lines`; a UserError when the list has fewer pages."""
    ends = _page_ends(lines, size, chars)
    if not ends:
        if number > 1:
            raise UserError(f"That list is empty now, so there's no page {number:,}.")
        return Page(number=1, start=0, end=0, total=0, page_count=1, lines=())
    if number > len(ends):
        raise UserError(
            f"That list has {len(ends):,} page{'s' if len(ends) != 1 else ''} now, so there's "
            f"no page {number:,}. It may have got shorter since you last looked."
        )
    start = 0 if number == 1 else ends[number - 2]
    end = ends[number - 1]
    return Page(
        number=number,
        start=start,
        end=end,
        total=len(lines),
        page_count=len(ends),
        lines=tuple(_fit(line, chars) for line in lines[start:end]),
    )


def more_section(page: Page, command: str, call: Call) -> Section | None:
    """The line saying what is shown, with the More button; None when the list fits one page.

    `command` is the typed list command (for the text version); the More button carries the
    list's `call` with the next page as a value (`page`), never as text.
    A section of its own, so the More button is never one of the buttons a card hides.
    """
    if page.is_whole_list:
        return None
    if not page.has_more:
        return Section(text=page.note(command))
    more = Button("More", call=call.with_values({"page": str(page.number + 1)}))
    return Section(text=page.note(command), buttons=(more,))


def button_sets(buttons: Sequence[Button]) -> tuple[Section, ...]:
    """Item buttons (Cancel, Register...) in sets small enough for every card to show them all."""
    return tuple(
        Section(buttons=tuple(buttons[start : start + BUTTONS_PER_SET]))
        for start in range(0, len(buttons), BUTTONS_PER_SET)
    )


def csv_cell(value: str) -> str:
    # A cell starting with one of these runs as a formula when the file is opened in a
    # spreadsheet; a leading apostrophe keeps it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_file(filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Attachment:
    """The whole list as a CSV file, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return Attachment(filename=filename, content_type="text/csv", content=buffer.getvalue())
