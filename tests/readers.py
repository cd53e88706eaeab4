"""How tests read outputs: the published statement, extracted text, real reader tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PUBLISHED = HERE / "data" / "unm-hsc-statement.txt"


def published_sentences(title: bool = True) -> list[str]:
    """Every sentence of the published statement, as a reader would look for it.

    Whitespace is normalised (the published text uses no-break spaces, which
    PDF text extraction reports as plain spaces); nothing else is.
    """
    text = PUBLISHED.read_text(encoding="utf-8")
    sentences = []
    for line in text.splitlines()[0 if title else 1 :]:
        line = re.sub(r"^\s*\d+\.\s+", "", line).strip()
        if line:
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    return [normalise(s) for s in sentences]


def normalise(text: str) -> str:
    """Text as a reader reads it across lines.

    A hyphen the layout added (U+2010, or a soft hyphen) at a line end joins the word
    halves; a hyphen of the text (U+002D) at a line end is kept with no space after it;
    every other kind of whitespace (no-break spaces, line breaks) becomes one space.
    """
    text = re.sub(r"[\u2010\u00ad]\s*\n\s*", "", text)
    text = re.sub(r"-\n\s*", "-", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def require_tool(name: str) -> str:
    """The path of a command-line reader; missing fails under CI and skips elsewhere."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI (see .ci/apt-test)")
        pytest.skip(f"{name} not installed")
    return path


def pdftotext(pdf: Path, mode: str = "-layout") -> str:
    """The text poppler extracts: ``-layout`` keeps lines as set; ``-raw`` keeps the drawing
    order, which reads side-by-side columns one after the other."""
    require_tool("pdftotext")
    result = subprocess.run(["pdftotext", mode, "-enc", "UTF-8", str(pdf), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def pdftotext_pages(pdf: Path) -> list[str]:
    """The text of each page, as poppler extracts it (pages split at form feeds)."""
    return pdftotext(pdf).split("\f")[:-1]


def footers(pdf: Path) -> list[str]:
    """The footer each page shows (its text in the bottom inch), as pdfplumber reads it, with how it is tagged."""
    import pdfplumber

    shown = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["top"] > page.height - 72]
            assert all(c.get("tag") == "Artifact" and c.get("mcid") is None for c in chars), page.page_number
            shown.append(normalise("".join(c["text"] for c in chars)))
    return shown
