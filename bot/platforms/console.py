"""The console: one command per line in, readable plain text out.

Buttons become numbered choices, printed under the section they belong to; typing the
number does what pressing the button would (a button's call is dispatched as it is, values
and all). The console has no forms: choosing a form's button shows what to type instead.
It reads standard input line by line, so it works in a pipe as well as a terminal. Files a
reply carries (a calendar file, a CSV list, a report chart) are saved to a folder
(`FileShelf`) and the reply says where.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.errors import UserError
from bot.messages import (
    Attachment,
    Button,
    Call,
    Conversation,
    Person,
    Reply,
    Request,
    without_mentions,
)
from bot.outbound import ChannelInvite, InviteOutcome, InviteResult, Notice

PLATFORM = "console"
QUIT_WORDS = frozenset({"quit", "exit", "bye"})
FILES_DIR_ENV = "ALLYBOT_FILES_DIR"
# A terminal's width, less the indent: buttons that fit share a line.
_LINE_WIDTH = 78
_GAP = "   "


@dataclass(slots=True)
class Rendered:
    text: str
    choices: dict[str, Button] = field(default_factory=dict)


class FileShelf:
    """Where the console saves the files replies carry: `directory`, else the folder
    `ALLYBOT_FILES_DIR` names, else a new temporary folder made when the first file arrives."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory

    @property
    def directory(self) -> Path:
        if self._directory is None:
            named = os.environ.get(FILES_DIR_ENV, "")
            self._directory = (
                Path(named) if named else Path(tempfile.mkdtemp(prefix="allybot-files-"))
            )
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def save(self, attachment: Attachment) -> Path:
        """Write the file under its own name (never outside the folder); a name already
        used gets a number, so an earlier file is never overwritten."""
        name = Path(attachment.filename).name or "file"
        stem, suffix = Path(name).stem, Path(name).suffix
        target = self.directory / name
        number = 1
        while target.exists():
            number += 1
            target = self.directory / f"{stem}-{number}{suffix}"
        target.write_bytes(attachment.data)
        return target


def render(reply: Reply, first_choice: int = 1, saved: Sequence[Path] = ()) -> Rendered:
    """The reply as text, each section's buttons numbered right under that section, so the
    reader sees which item a number acts on; the reply's own buttons come last. `saved` are
    where its files were saved, in order."""
    lines: list[str] = []
    choices: dict[str, Button] = {}

    def numbered(buttons: tuple[Button, ...]) -> None:
        labels = []
        for button in buttons:
            number = first_choice + len(choices)
            choices[str(number)] = button
            labels.append(f"[{number}] {button.label}")
        if not labels:
            return
        # Short labels share a line; long ones ("Register: <a long title>") get one each.
        together = "  " + _GAP.join(labels)
        lines.extend([together] if len(together) <= _LINE_WIDTH else [f"  {x}" for x in labels])

    if reply.heading:
        lines.append(f"== {reply.heading} ==")
    if reply.sections:
        for section in reply.sections:
            if section.heading:
                lines.append(f"-- {section.heading} --")
            if section.text:
                lines.append(section.text)
            lines.extend(f"  {item.label}: {item.value}" for item in section.fields)
            numbered(section.buttons)
    else:
        lines.append(reply.text)
    numbered(reply.buttons)
    if reply.context:
        lines.append(f"({reply.context})")
    for number, attachment in enumerate(reply.attachments):
        if number < len(saved):
            lines.append(f"(saved {attachment.filename}, {_size(attachment)}: {saved[number]})")
        else:
            lines.append(f"(attached: {attachment.filename}, {_size(attachment)})")
    if choices:
        lines.append("(type a number to choose)")
    return Rendered(text=without_mentions("\n".join(lines)), choices=choices)


def _size(attachment: Attachment) -> str:
    # CSV files are counted in rows after the header, other text in characters, the rest
    # (a PNG chart) in bytes.
    if isinstance(attachment.content, bytes):
        return f"{len(attachment.content):,} bytes"
    if attachment.content_type == "text/csv":
        rows = max(len(attachment.content.splitlines()) - 1, 0)
        return f"{rows} row" + ("" if rows == 1 else "s")
    return f"{len(attachment.content):,} characters"


class ConsoleMessenger:
    """Private messages for the console user are shown; anyone else's are not even mentioned.

    Saying that someone else was told would tell the person at the console who: the
    asker of the anonymous question they just answered, who was first on the waitlist for
    the place they just gave up. No platform ever shows anyone who else was notified.
    """

    def __init__(self, person: Person, output: TextIO, shelf: FileShelf | None = None) -> None:
        self._person = person
        self._output = output
        self._shelf = shelf or FileShelf()

    async def send_private(self, notice: Notice) -> None:
        if notice.recipient_key != self._person.key:
            return
        saved = [self._shelf.save(item) for item in notice.reply.attachments]
        self._output.write("[private message]\n" + render(notice.reply, saved=saved).text + "\n")
        self._output.flush()

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        # The console has no channels; say where the person would go instead.
        return InviteResult(
            InviteOutcome.NOT_POSSIBLE,
            link=f"#{invite.channel_ref}",
            fix="the console has no channels",
        )

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        # Nobody else is in a console chat: nothing set here is seen by anyone.
        return True if platform == "console" else None


Dispatch = Callable[[Request], Awaitable[list[Reply]]]
# The typed equivalent of a call (`Router.words_for`).
WordsFor = Callable[[Call], str]


class ConsoleChat:
    def __init__(
        self,
        dispatch: Dispatch,
        person: Person,
        stdin: TextIO,
        stdout: TextIO,
        prompt: bool,
        words_for: WordsFor | None = None,
        shelf: FileShelf | None = None,
    ) -> None:
        self._dispatch = dispatch
        self._shelf = shelf or FileShelf()
        self._words_for = words_for
        self._person = person
        self._stdin = stdin
        self._stdout = stdout
        self._prompt = prompt
        self._choices: dict[str, Button] = {}

    async def run(self) -> None:
        if self._prompt:
            self._write(
                f"allybot — you are '{self._person.id}'. Type `help` to start, `quit` to leave."
            )
        while True:
            if self._prompt:
                self._stdout.write("> ")
                self._stdout.flush()
            line = await asyncio.to_thread(self._stdin.readline)
            if not line:
                break
            text = line.strip()
            if text.lower() in QUIT_WORDS:
                break
            if not text:
                continue
            await self.handle(text)

    async def handle(self, text: str) -> None:
        chosen = self._choices.get(text)
        conversation = Conversation(id="console")
        if chosen is not None and chosen.call is not None:
            request = Request(self._person, "", conversation, call=chosen.call)
        elif chosen is not None and not chosen.command and chosen.form is not None:
            self._write(self._type_instead(chosen.form.call))
            return
        else:
            command = chosen.command if chosen is not None else text
            request = Request(person=self._person, text=command, conversation=conversation)
        replies = await self._dispatch(request)
        self._choices = {}
        for reply in replies:
            saved = [self._shelf.save(item) for item in reply.attachments]
            rendered = render(reply, first_choice=len(self._choices) + 1, saved=saved)
            self._choices.update(rendered.choices)
            self._write(rendered.text)

    def _type_instead(self, call: Call | None) -> str:
        if call is None or self._words_for is None:
            return "That opens a form, which the console cannot show. Type `help` instead."
        try:
            typed = self._words_for(call)
        except UserError:
            # A form's call holds only its fixed values; the rest is what the form asks for.
            typed = call.phrase
        return f"That opens a form, which the console cannot show: type `{typed} …`."

    def _write(self, text: str) -> None:
        self._stdout.write(text + "\n\n")
        self._stdout.flush()
