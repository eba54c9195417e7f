"""The glossary chapter: every entry bilingual, no duplicate terms, no dangling {term} references,
and every core concept of the study notes present.

The parser follows Sphinx's own ``glossary`` directive (sphinx/domains/std/__init__.py, class Glossary):
inside a ```` ```{glossary} ```` fence, lines at column 0 are terms, indented lines are the definition, and
an entry's term lines are consecutive (a blank line separates entries). Sphinx matches ``{term}``
references case-insensitively, and so does this test.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

GLOSSARY = Path(__file__).resolve().parent.parent / "chapters" / "99-glossary.md"

HANGUL = re.compile("[\uac00-\ud7a3]")
# {term}`Name` and {term}`shown text <Name>`
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
TARGET_IN_ANGLES = re.compile(r"<([^<>]+)>\s*$")


@dataclass
class Entry:
    terms: list[str]
    lineno: int
    definition: list[str] = field(default_factory=list)


@dataclass
class Glossary:
    entries: list[Entry]
    problems: list[str]
    directives: int
    text: str


def normalize(term: str) -> str:
    return " ".join(term.split()).lower()


def parse(text: str) -> Glossary:
    """Return the entries of every ```{glossary} block, and any layout Sphinx would warn about."""
    entries: list[Entry] = []
    problems: list[str] = []
    directives = 0
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```{glossary}":
            i += 1
            continue
        directives += 1
        if lines[i] != "```{glossary}":
            problems.append(f"line {i + 1}: glossary fence must start at column 0")
        i += 1
        while i < len(lines) and lines[i].startswith(":"):  # directive options, e.g. :sorted:
            i += 1
        current: Entry | None = None
        in_definition = False
        was_empty = True
        while i < len(lines) and lines[i].rstrip() != "```":
            line, lineno = lines[i], i + 1
            i += 1
            if not line.strip():
                was_empty = True
                continue
            if not line[0].isspace():
                if current is None or in_definition:
                    if current is not None and not was_empty:
                        problems.append(f"line {lineno}: term {line!r} must be preceded by an empty line")
                    current = Entry([line.rstrip()], lineno)
                    entries.append(current)
                else:
                    if was_empty:
                        problems.append(f"line {lineno}: term lines of one entry are separated by a blank line")
                    current.terms.append(line.rstrip())
                in_definition = False
            elif current is None:
                problems.append(f"line {lineno}: indented line before any term")
            else:
                current.definition.append(line.strip())
                in_definition = True
            was_empty = False
        if i >= len(lines):
            problems.append("a glossary fence is never closed")
        i += 1
    return Glossary(entries, problems, directives, text)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return parse(GLOSSARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def term_set(glossary: Glossary) -> set[str]:
    return {normalize(t) for e in glossary.entries for t in e.terms}


def is_korean(term: str) -> bool:
    return bool(HANGUL.search(term))


def test_page_is_titled_glossary(glossary):
    assert glossary.text.splitlines()[0] == "# Glossary"


def test_parser_finds_the_entries(glossary):
    assert glossary.directives >= 1
    assert len(glossary.entries) > 100, f"only {len(glossary.entries)} glossary entries parsed"


def test_layout_is_what_sphinx_expects(glossary):
    assert glossary.problems == []
    for entry in glossary.entries:
        assert entry.definition, f"entry {entry.terms} (line {entry.lineno}) has no definition"


def test_every_entry_has_an_english_and_a_korean_term(glossary):
    for entry in glossary.entries:
        english = [t for t in entry.terms if not is_korean(t)]
        korean = [t for t in entry.terms if is_korean(t)]
        assert english, f"entry at line {entry.lineno} has no English term: {entry.terms}"
        assert korean, f"entry at line {entry.lineno} has no Korean term: {entry.terms}"


def test_term_lines_are_plain_text(glossary):
    # " : " would turn the rest of the line into an index classifier; roles and markup do not belong there.
    for entry in glossary.entries:
        for term in entry.terms:
            assert not re.search(r"\s:\s", term), term
            assert not any(c in term for c in "`*{}<>[]"), term


def test_no_term_appears_twice(glossary):
    counts = Counter(normalize(t) for e in glossary.entries for t in e.terms)
    duplicates = sorted(t for t, n in counts.items() if n > 1)
    assert duplicates == []


def term_targets(text: str) -> list[str]:
    targets = []
    for content in TERM_ROLE.findall(text):
        explicit = TARGET_IN_ANGLES.search(content)
        targets.append(explicit.group(1) if explicit else content)
    return targets


def test_reference_parser_reads_both_role_forms():
    sample = "See {term}`Pod` and {term}`worker nodes <worker node>`, not {doc}`x`."
    assert term_targets(sample) == ["Pod", "worker node"]


def test_every_term_reference_resolves(glossary, term_set):
    targets = term_targets(glossary.text)
    assert len(targets) > 100
    dangling = sorted({t for t in targets if normalize(t) not in term_set})
    assert dangling == []


def test_no_links_to_other_documents_or_the_web(glossary):
    assert "{doc}" not in glossary.text
    assert "{ref}" not in glossary.text
    assert "http://" not in glossary.text
    assert "https://" not in glossary.text


STUDY_NOTES_CONCEPTS = [
    "Orchestration",
    "Container orchestration",
    "Docker Compose",
    "Desired state",
    "Current state",
    "Reconciliation loop",
    "Self-healing",
    "Automated deployment",
    "Zero-downtime deployment",
    "Rolling update",
    "Rollback",
    "Scale out",
    "Load balancing",
    "Service discovery",
    "Pod network",
    "Pod",
    "Container",
    "Sidecar container",
    "Shared network",
    "Shared storage volume",
    "UTS namespace",
    "IPC namespace",
    "Pod immutability",
    "Pod template",
    "Replication",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "Node",
    "Master node",
    "Control plane",
    "Worker node",
    "kube-apiserver",
    "Authentication",
    "Authorization",
    "Validation",
    "kube-controller-manager",
    "Controller",
    "EndpointController",
    "Namespace controller",
    "Node controller",
    "kube-scheduler",
    "cloud-controller-manager",
    "etcd",
    "Single source of truth",
    "Transaction",
    "High availability",
    "etcd replication",
    "kubelet",
    "kube-proxy",
    "Container runtime",
    "Storage",
    "Volume",
    "Service",
    "Namespace",
    "HorizontalPodAutoscaler",
    "Cluster Autoscaler",
    "Metrics",
    "CKA",
    "kubectl",
    "MSA",
    "Cloud native",
    "Managed Kubernetes",
    "CI/CD",
    "DevOps",
]

STUDY_NOTES_KOREAN = [
    "원하는 상태",
    "현재 상태",
    "자체 복구",
    "컨트롤 플레인",
    "워커 노드",
    "스케쥴러",
    "컨트롤 매니저",
    "클라우드 컨트롤러 매니저",
    "싱글 소스 오브 트루스",
    "부하 분산",
    "서비스 발견",
    "사이드카 컨테이너",
    "컨테이너 런타임",
    "복제 컨트롤러",
    "오케스트레이션",
    "무중단 배포",
    "롤백",
    "스케일 아웃",
    "인증",
    "인가",
    "유효성 검사",
    "트랜잭션",
    "고가용성",
    "볼륨",
]

LATER_CHAPTER_TERMS = [
    "Manifest",
    "API object",
    "Spec",
    "Status",
    "Label",
    "Selector",
    "Annotation",
    "ownerReference",
    "Garbage collection",
    "Finalizer",
    "resourceVersion",
    "Optimistic concurrency",
    "Watch",
    "Informer",
    "Work queue",
    "Level-triggered",
    "Admission controller",
    "RBAC",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ServiceAccount",
    "Lease",
    "Node heartbeat",
    "Taint",
    "Toleration",
    "Node affinity",
    "Pod topology spread constraints",
    "Resource requests",
    "Resource limits",
    "Resource quantity",
    "QoS class",
    "Liveness probe",
    "Readiness probe",
    "Startup probe",
    "Restart policy",
    "CrashLoopBackOff",
    "Graceful termination",
    "Eviction",
    "Cordon",
    "Drain",
    "maxSurge",
    "maxUnavailable",
    "Revision",
    "ClusterIP",
    "NodePort",
    "LoadBalancer",
    "Endpoints",
    "EndpointSlice",
    "Scheduling framework",
    "Filter",
    "Score",
    "Bind",
    "Preemption",
    "Pod priority",
    "Simulated time",
    "Event",
    "kube-system",
]


@pytest.mark.parametrize("term", STUDY_NOTES_CONCEPTS + LATER_CHAPTER_TERMS)
def test_concept_has_an_entry(term, term_set):
    assert normalize(term) in term_set


@pytest.mark.parametrize("term", STUDY_NOTES_KOREAN)
def test_study_notes_korean_term_has_an_entry(term, glossary):
    korean_lines = {t.strip() for e in glossary.entries for t in e.terms if is_korean(t)}
    assert term in korean_lines


def test_korean_and_english_name_the_same_entry(glossary):
    by_term = {normalize(t): e for e in glossary.entries for t in e.terms}
    for english, korean in [
        ("Desired state", "원하는 상태"),
        ("Current state", "현재 상태"),
        ("Self-healing", "자체 복구"),
        ("kube-scheduler", "스케쥴러"),
        ("Load balancing", "부하 분산"),
    ]:
        assert by_term[normalize(english)] is by_term[normalize(korean)]


def test_kubelet_reports_to_the_api_server_not_the_scheduler(glossary):
    by_term = {normalize(t): e for e in glossary.entries for t in e.terms}
    definition = " ".join(by_term["kubelet"].definition)
    assert "{term}`kube-apiserver`" in definition


def test_parser_rejects_bad_layout():
    bad = "```{glossary}\nTerm\n  Definition.\nNext term\n  Definition.\n```\n"
    assert parse(bad).problems
    unclosed = "```{glossary}\nTerm\n용어\n  Definition.\n"
    assert parse(unclosed).problems
