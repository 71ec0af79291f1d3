"""A quoting function proven by running it: a program evaluates its literals and prints them back.

Java and C# strings are UTF-16, so a language's `LiteralPrinter` is a program that holds an
array of string literals (each written by the language's quoting function) and prints each
one's UTF-16 code units in hex, between brackets; `assert_literals_hold` compiles and runs it
with the target's batch runner and compares every line with the text the literal was written
from. Only the program around the array is the language's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from clientcreds.snippets.csharp.quoting import csharp_str
from clientcreds.snippets.java.quoting import java_str
from tests.harness.runtimes import Job, Runner

#: Where each literal goes: one a line, each followed by a comma (both languages allow one
#: after the last).
ITEM_INDENT = " " * 12


@dataclass(frozen=True)
class LiteralPrinter:
    """A language's literal-printing program: its quoting function, and the program's source
    with ``$literals`` where the array's items go."""

    quote: Callable[[str], str]
    program: Template

    def source(self, texts: Sequence[str]) -> str:
        """The program holding each of `texts` as the literal `quote` writes."""
        items = "".join(f"{ITEM_INDENT}{self.quote(text)},\n" for text in texts)
        return self.program.substitute(literals=items)


JAVA = LiteralPrinter(
    java_str,
    Template(
        "public class Main {\n"
        "    public static void main(String[] args) {\n"
        "        String[] texts = {\n"
        "$literals"
        "        };\n"
        "        for (String text : texts) {\n"
        "            StringBuilder hex = new StringBuilder();\n"
        "            for (char c : text.toCharArray()) {\n"
        '                hex.append(String.format("%04x", (int) c));\n'
        "            }\n"
        '            System.out.println("[" + hex + "]");\n'
        "        }\n"
        "    }\n"
        "}\n"
    ),
)
CSHARP = LiteralPrinter(
    csharp_str,
    Template(
        "using System;\n\n"
        "class Program\n{\n"
        "    static int Main()\n    {\n"
        "        string[] texts =\n        {\n"
        "$literals"
        "        };\n"
        "        foreach (string text in texts)\n        {\n"
        '            string hex = "";\n'
        "            foreach (char c in text)\n            {\n"
        '                hex += ((int)c).ToString("x4");\n'
        "            }\n"
        '            Console.WriteLine("[" + hex + "]");\n'
        "        }\n"
        "        return 0;\n"
        "    }\n}\n"
    ),
)


def assert_literals_hold(
    runner: Runner, printer: LiteralPrinter, texts: Sequence[str], cwd: Path
) -> None:
    """Compiled and run by `runner` in `cwd`, each literal holds exactly its text (UTF-16 code
    units compared)."""
    cwd.mkdir(exist_ok=True)
    [outcome] = runner([Job(printer.source(texts), cwd)])
    assert outcome.ok, outcome.error
    assert outcome.stdout.splitlines() == [f"[{text.encode('utf-16-be').hex()}]" for text in texts]
