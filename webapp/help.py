"""The query language's worked examples, shown (each as a link) on the /help page.

Every example finds at least one section of the shipped corpus (`corpus/`); a test follows
each link on a real server and checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True, slots=True)
class Example:
    q: str
    says: str  # what it finds, in a sentence
    params: tuple[tuple[str, str], ...] = ()  # more URL parameters (filters, literal)

    def _query(self) -> str:
        return urlencode([("q", self.q), *self.params])

    @property
    def url(self) -> str:
        return f"/?{self._query()}"

    @property
    def api_url(self) -> str:
        return f"/api/search?{self._query()}"

    @property
    def shown(self) -> str:
        """The example as the reader would type it (URL parameters after it)."""
        extra = " ".join(f"({k}={v})" for k, v in self.params)
        return f"{self.q} {extra}".strip()


@dataclass(frozen=True, slots=True)
class Group:
    title: str
    intro: str
    examples: tuple[Example, ...]


EXAMPLES: tuple[Group, ...] = (
    Group("Words and phrases",
          "Every word must appear. Words match in all their forms (plural, -ing, -ed …), "
          "case does not matter, and very common words (the, of, and …) are not searched.", (
              Example("solvability", "sections that mention solvability"),
              Example("solvable", "also finds “solvability”: the same word in another form"),
              Example("demand planning", "sections with both words"),
              Example('"current demand"', "the two words next to each other, in this order"),
          )),
    Group("Either, both, not",
          "Only capitals are operators: AND, OR, NOT. In lower case “and”, “or” and “not” are "
          "ordinary (unsearched) words, and the page says so. A minus sign before a word "
          "leaves it out; a plus sign asks for the word exactly as typed (not widened by the "
          "glossary). Brackets group.", (
              Example("ICT OR collaboration", "sections with either word"),
              Example("demand NOT ICT", "sections about demand that do not mention ICT"),
              Example("demand -ICT", "the same, written with a minus sign"),
              Example("(demand OR resources) AND planning", "brackets group an OR"),
          )),
    Group("Word beginnings, wildcards and spelling",
          "A * stands for any letters at the end of a word and ? for one letter; they match "
          "the words as written, and need three letters before them. A ~ after a word also "
          "finds words one letter different (~2: two letters).", (
              Example("investigat*", "investigation, investigations, investigate …"),
              Example("vulnerab*", "vulnerable, vulnerability …"),
              Example("analy?is", "analysis (and analyzis, if a report spelt it so)"),
              Example("solvabilty~", "a misspelling still finds “solvability”"),
              Example("efficency~2", "up to two letters different: “efficiency”"),
          )),
    Group("Filters in the query",
          "field:value narrows the search like the filters beside the results: force:, "
          "grade:, cycle:, pillar:, kind: and type: (report type). Values may be short "
          "names, slugs or common names (force:met, force:\"the met\", grade:ri, "
          "cycle:2021/22, kind:afi); put quotes around a value with spaces. Several values "
          "of one field find any of them; different fields all apply. An unknown value is "
          "answered with the list of valid ones. The same short forms work in the page's "
          "address (force=met).", (
              Example("force:met demand", "demand, in the Metropolitan Police Service's reports"),
              Example('force:"the met"', "every section about the Met"),
              Example('grade:"requires improvement"', "sections graded Requires improvement"),
              Example("grade:ri ICT", "the same grade, written short, with a word"),
              Example("cycle:2016 pillar:efficiency", "the 2016 efficiency inspections"),
              Example("kind:afi ICT", "areas for improvement that mention ICT"),
              Example("demand", "a filter in the address, by short name", (("force", "met"),)),
          )),
    Group("Acronyms",
          "Policing acronyms in the glossary also find what they stand for, and the words "
          "they stand for also find the acronym. The results show the meaning, with a link "
          "to search the words as typed only.", (
              Example("ICT", "ICT, and “information and communications technology”"),
              Example('"information and communications technology"', "the phrase, and ICT"),
              Example("ICT", "ICT only, as typed", (("literal", "1"),)),
              Example("+ICT", "the same, with a plus sign"),
          )),
)
