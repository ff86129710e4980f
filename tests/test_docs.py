"""The README and docs/ stay one piece: every relative link leads to a page (and a heading) that exists,
every page is linked from the README, and every reference from the code (`docs/<page>.md, "<name>"`)
names a text that page holds. No database."""

import re
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")
REFERENCE = re.compile(r'docs/(\w+\.md),? "([^"]+)"')


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def _pages() -> list[Path]:
    return [BASE_DIR / "README.md", *sorted((BASE_DIR / "docs").glob("*.md"))]


def test_every_link_between_the_pages_leads_somewhere():
    broken = []
    for page in _pages():
        for target, anchor in LINK.findall(page.read_text()):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            linked = (page.parent / target).resolve() if target else page
            if not linked.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{page.name}: {target}#{anchor}")
    assert broken == []


def test_the_readme_is_one_screen_and_leads_to_every_page():
    readme = (BASE_DIR / "README.md").read_text()
    assert len(readme.splitlines()) <= 60
    linked = set(re.findall(r"\(docs/(\w+\.md)\)", readme))
    assert linked == {page.name for page in (BASE_DIR / "docs").glob("*.md")}


def test_the_codes_references_to_the_docs_name_what_the_page_holds():
    files = subprocess.run(
        ["git", "ls-files", "*.py", "*.html", "*.js", "*.css", "*.toml", "*.yml"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    missing = []
    for name in files:
        text = (BASE_DIR / name).read_text()
        # A reference may wrap over a comment's lines.
        for page, title in REFERENCE.findall(re.sub(r"\s*\n\s*(#|//|\*)?\s*", " ", text)):
            doc = BASE_DIR / "docs" / page
            if not doc.exists() or title.lower() not in doc.read_text().lower():
                missing.append(f"{name}: docs/{page}, {title!r}")
    assert missing == []
