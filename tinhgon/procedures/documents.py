"""Official documents of the registry: the Word draft of a publication decision (quyết định công bố) and one
procedure's full content as Word or PDF.

Layout follows Nghị định 30/2020/NĐ-CP (A4; margins 20/20/30/15 mm; Times New Roman, which fontconfig maps to
Tinos; the two-column header with the issuer and the quốc hiệu, tiêu ngữ). The content of a procedure is assembled
once, by `version_heading` and `version_content`, and both the Word and the PDF renderers print that, so the two
formats cannot drift. All text is normalised to NFC so every diacritic renders from one font.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.template.loader import render_to_string

from docx.shared import Pt

from tinhgon.core import word
from tinhgon.core.dates import today
from tinhgon.organisations.models import render_document
from tinhgon.procedures.constants import Change, DecisionStatus, Group, Kind, Level
from tinhgon.procedures.models import DecisionItem, ProcedureVersion, PublicationDecision

# Phần I sections, in the order published decisions use; numbered consecutively over the ones present.
SECTION_TITLES = {
    Change.NEW: "thủ tục hành chính nội bộ mới ban hành",
    Change.AMENDED: "thủ tục hành chính nội bộ được sửa đổi, bổ sung",
    Change.REPLACED: "thủ tục hành chính nội bộ được thay thế",
    Change.ABOLISHED: "thủ tục hành chính nội bộ bị bãi bỏ",
}
# What Điều 2 says happens to the earlier decision items each kind of change ends.
ENDING_VERB = {Change.AMENDED: "Thay thế", Change.REPLACED: "Thay thế", Change.ABOLISHED: "Bãi bỏ"}
LEVEL_ORDER = {value: i for i, value in enumerate(Level.values)}
PROVINCE_NAME = re.compile(r"^(?:ủy|uỷ) ban nhân dân\s+(tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


# Shared content of one procedure version -------------------------------------------------------------------------


def version_heading(version: ProcedureVersion) -> list[tuple[str, str]]:
    """The identification block of a procedure: (label, value) rows."""
    procedure = version.procedure
    rows = [
        ("Cơ quan quản lý", procedure.owner.name),
        ("Mã thủ tục", procedure.code),
        ("Mã trên CSDL quốc gia", procedure.national_code),
        ("Nhóm", version.get_group_display()),
        ("Cấp thực hiện", version.get_level_display()),
        ("Lĩnh vực", version.field.name),
        ("Trạng thái", f"{version.get_status_display()} (phiên bản {version.number})"),
        ("Hiệu lực", _validity(version)),
        ("Quyết định công bố", "; ".join(_publications(version)) or "Chưa công bố"),
    ]
    return [(label, word.nfc(value)) for label, value in rows if value]


def _validity(version: ProcedureVersion) -> str:
    if not version.effective_from:
        return ""
    until = f" đến hết ngày {version.effective_to:%d/%m/%Y}" if version.effective_to else ""
    return f"Từ ngày {version.effective_from:%d/%m/%Y}{until}"


def _publications(version: ProcedureVersion) -> list[str]:
    items = (
        version.decision_items.exclude(decision__status=DecisionStatus.DRAFT)
        .select_related("decision__issuer")
        .order_by("decision__effective_on", "decision_id")
    )
    return [f"{decision_reference(item.decision)} ({item.get_change_display().lower()})" for item in items]


def version_content(version: ProcedureVersion) -> list[tuple[str, list[str]]]:
    """Phần II content of one procedure: the numbered components a) to l), each with its paragraphs. Empty
    components print "Không" or "Không quy định" as published decisions do."""
    sections = [
        ("a) Trình tự thực hiện", _steps(version)),
        ("b) Cách thức thực hiện", word.listed(version.channel_labels())),
        ("c) Thành phần, số lượng hồ sơ", _dossier(version)),
        ("d) Thời hạn giải quyết", [version.processing_time_display()]),
        ("đ) Đối tượng thực hiện", word.lines(version.performers)),
        ("e) Cơ quan giải quyết", _bodies(version)),
        ("g) Kết quả thực hiện", word.lines(version.result)),
        ("h) Phí, lệ phí", word.lines(version.fees) or ["Không"]),
        ("i) Mẫu đơn, mẫu tờ khai", word.listed([f.name for f in version.forms.all()]) or ["Không"]),
        ("k) Yêu cầu, điều kiện", word.lines(version.conditions) or ["Không"]),
        ("l) Căn cứ pháp lý", word.listed([legal_reference(b) for b in version.legal_bases.all()])),
    ]
    return [(heading, [word.nfc(p) for p in paragraphs if p] or ["Không quy định"]) for heading, paragraphs in sections]


def _steps(version: ProcedureVersion) -> list[str]:
    paragraphs = []
    for i, step in enumerate(version.steps.all(), start=1):
        first, *rest = word.lines(step.action) or [""]
        actor = f" ({step.actor})" if step.actor else ""
        duration = f"; thời gian: {step.duration}" if step.duration else ""
        paragraphs += [f"Bước {i}{actor}: {first.rstrip('.;')}{duration}.", *rest]
    return paragraphs


def _dossier(version: ProcedureVersion) -> list[str]:
    items = [
        f"{d.name}: {d.quantity_display()}" if d.quantity_display() != "—" else d.name
        for d in version.dossier_items.all()
    ]
    if not items:
        return []
    return ["Thành phần hồ sơ:", *word.listed(items), f"Số lượng hồ sơ: {version.dossier_sets:02d} bộ."]


def _bodies(version: ProcedureVersion) -> list[str]:
    if not (version.authority or version.performing_body or version.coordinating_bodies):
        return []
    return word.listed(
        [
            f"Cơ quan có thẩm quyền quyết định: {'; '.join(word.lines(version.authority)) or 'Không quy định'}",
            f"Cơ quan trực tiếp thực hiện: {'; '.join(word.lines(version.performing_body)) or 'Không quy định'}",
            f"Cơ quan phối hợp: {'; '.join(word.lines(version.coordinating_bodies)) or 'Không'}",
        ]
    )


def legal_reference(basis) -> str:
    """'Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022 của Quốc hội (Điều 84)'."""
    text = f"{basis.title or 'Văn bản'} số {basis.number}"
    text += f" ngày {basis.date:%d/%m/%Y}" if basis.date else ""
    text += f" của {basis.issuer}" if basis.issuer else ""
    return text + (f" ({basis.article})" if basis.article else "")


# The issuer and dates ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """How a decision's issuer appears in its text, derived from the organisation's name (no settings)."""

    name: str  # "Ủy ban nhân dân tỉnh Vĩnh Long"
    header: list[str]  # ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"]
    place: str  # "Vĩnh Long"
    authority: str  # "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long"
    is_province: bool

    @classmethod
    def of(cls, decision: PublicationDecision) -> "Issuer":
        return cls.signing(decision.issuer, decision.signing_title())

    @classmethod
    def signing(cls, organisation, signer_title: str) -> "Issuer":
        """The organisation as the issuer of a document signed under `signer_title`."""
        name = word.nfc(re.sub(r"^UBND\b", "Ủy ban nhân dân", organisation.name.strip()))
        match = PROVINCE_NAME.match(name)
        if match:
            header = ["ỦY BAN NHÂN DÂN", f"{match[1]} {match[2]}".upper()]
            place = match[2]
        else:
            header = [name.upper()]
            place = word.nfc(organisation.short_name or organisation.name)
        role = _signer_role(signer_title)
        return cls(name, header, place, f"{role.capitalize()} {name}", bool(match))


def upper_name(name: str) -> str:
    return word.nfc(re.sub(r"^(ủy|uỷ) ban nhân dân\b", "UBND", name.strip(), flags=re.IGNORECASE)).upper()


def issuer_of(organisation) -> Issuer:
    """How an organisation appears as the issuer of a document other than a decision (a report, a plan)."""
    return Issuer.signing(organisation, organisation.signer_titles()[0])


def header_lines(organisation) -> list[tuple[str, bool]]:
    """The issuing body block (NĐ 30/2020): the body above it in capitals, then the reporting body in bold capitals;
    a province prints as "ỦY BAN NHÂN DÂN / TỈNH ..."."""
    own = issuer_of(organisation)
    parent = organisation.parent
    if own.is_province or parent is None:
        return [(line, True) for line in own.header]
    return [(upper_name(parent.name), False), *[(line, True) for line in own.header]]


def issuer_block(organisation) -> dict:
    """The template variables of the issuing body: `co_quan_chu_quan`, the body above it ("" for a province or a
    root), and `co_quan`, the lines of its own name (bold in the default templates)."""
    lines = header_lines(organisation)
    return {
        "co_quan_chu_quan": next((line for line, bold in lines if not bold), ""),
        "co_quan": [line for line, bold in lines if bold],
    }


def place_of(organisation) -> str:
    """The place in the date line: the province the organisation sits in (walking up), else its own short name."""
    unit, seen = organisation, set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        issuer = issuer_of(unit)
        if issuer.is_province:
            return issuer.place
        unit = unit.parent
    return issuer_of(organisation).place


def _signer_role(signer_title: str) -> str:
    """The role whose authority the decision is issued in: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" → "CHỦ TỊCH"."""
    first = word.lines(word.nfc(signer_title))[:1] or [""]
    return re.sub(r"^(KT|TM|TL|TUQ)\.\s*", "", first[0], flags=re.IGNORECASE).upper()


def long_date(day: date | None) -> str:
    """'ngày 28 tháng 7 năm 2025'; day < 10 and months 1, 2 take a leading zero (NĐ 30/2020). A blank for a draft
    that is not signed yet."""
    if day is None:
        return f"ngày      tháng      năm {today().year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def decision_reference(decision: PublicationDecision, *, by_whom: bool = True) -> str:
    """'Quyết định số 680/QĐ-UBND ngày 28/07/2025 của Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long'."""
    signed = f" ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else ""
    return f"Quyết định số {decision.number}{signed}" + (f" của {Issuer.of(decision).authority}" if by_whom else "")


def decision_file_title(decision: PublicationDecision) -> str:
    """'Quyết định 680/QĐ-UBND công bố TTHC nội bộ (dự thảo)': what the download of the decision is named."""
    draft = " (dự thảo)" if decision.status == DecisionStatus.DRAFT else ""
    return f"Quyết định {decision.number.strip()} công bố TTHC nội bộ{draft}"


def procedure_file_title(version: ProcedureVersion) -> str:
    """'Thủ tục 1.012345 - Thủ tục xét tặng Bằng khen …': the download of one procedure's content."""
    return f"Thủ tục {version.procedure.code} - {version.name}"


# The annex structure: sections by change type, groups, fields, levels -----------------------------------------------


@dataclass
class Listed:
    item: DecisionItem
    section: int
    stt: int


@dataclass
class AnnexSection:
    number: int
    change: str
    entries: list[Listed]

    @property
    def title(self) -> str:
        return f"{self.number}. Danh mục {SECTION_TITLES[self.change]}"

    def by_group(self):
        """[(group, [(field name, [(level, [Listed])])])] in the order of the tables."""
        for group, in_group in groupby(self.entries, key=lambda e: e.item.version.group):
            fields = groupby(in_group, key=lambda e: e.item.version.field.name)
            yield (
                group,
                [
                    (f, [(lv, list(es)) for lv, es in groupby(rows, key=lambda e: e.item.version.level)])
                    for f, rows in fields
                ],
            )


def _sort_key(item: DecisionItem):
    v = item.version
    return (v.group, v.field.name, LEVEL_ORDER.get(v.level, 99), item.order, item.pk)


def annex(decision: PublicationDecision, *, with_content: bool = True) -> list[AnnexSection]:
    """Phần I of the decision; STT runs on within each section so Điều 2 of a later decision can cite it."""
    items = decision.items.select_related("version__procedure__owner", "version__field", "replaces")
    if with_content:
        items = items.prefetch_related(
            "version__steps", "version__dossier_items", "version__legal_bases", "version__forms", "version__levels"
        )
    items = list(items)
    sections = []
    for change in SECTION_TITLES:
        chosen = sorted((i for i in items if i.change == change), key=_sort_key)
        if chosen:
            number = len(sections) + 1
            # The STT the decision gave the item when recorded (an earlier decision typed in as printed), else its place
            listed = [Listed(i, number, i.annex_number or n) for n, i in enumerate(chosen, 1)]
            sections.append(AnnexSection(number, change, listed))
    return sections


def _group_heading(group: str) -> str:
    return f"{group}. {Group(group).heading}"


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1] if n <= 10 else str(n)


# Điều 1 and Điều 2 ------------------------------------------------------------------------------------------------


def _changes_phrase(sections: list[AnnexSection]) -> str:
    phrases = [SECTION_TITLES[s.change].removeprefix("thủ tục hành chính nội bộ ") for s in sections]
    return ", ".join(phrases[:-1]) + (" và " if len(phrases) > 1 else "") + (phrases[-1] if phrases else "")


def _fields(sections: list[AnnexSection]) -> list[str]:
    return sorted({e.item.version.field.name for s in sections for e in s.entries})


def _kind_words(sections: list[AnnexSection]) -> str:
    """What the decision publishes: 'thủ tục hành chính nội bộ', 'thủ tục hành chính' (ordinary procedures only,
    Group.ORDINARY) or both."""
    kinds = {Group(e.item.version.group).kind for s in sections for e in s.entries}
    if kinds == {Kind.ORDINARY}:
        return "thủ tục hành chính"
    return "thủ tục hành chính, thủ tục hành chính nội bộ" if Kind.ORDINARY in kinds else "thủ tục hành chính nội bộ"


def _title(decision: PublicationDecision, sections: list[AnnexSection], issuer: Issuer) -> str:
    if decision.title:
        return word.nfc(decision.title)
    words = _kind_words(sections)
    return f"Về việc công bố Danh mục {words} {_scope(sections)} thuộc phạm vi quản lý của {issuer.name}"


def _scope(sections: list[AnnexSection]) -> str:
    """'mới ban hành và bị bãi bỏ lĩnh vực Thi đua - Khen thưởng, Văn thư và lưu trữ nhà nước'."""
    fields = _fields(sections)
    return " ".join(p for p in [_changes_phrase(sections), f"lĩnh vực {', '.join(fields)}" if fields else ""] if p)


def _article1(sections: list[AnnexSection], issuer: Issuer) -> str:
    total = sum(len(s.entries) for s in sections)
    words = _kind_words(sections)
    counts = "; ".join(
        f"{len(s.entries):02d} {SECTION_TITLES[s.change].replace('thủ tục hành chính nội bộ', words)}" for s in sections
    )
    return (
        f"Công bố kèm theo Quyết định này Danh mục {total:02d} {words} thuộc phạm vi quản lý "
        f"của {issuer.name}, gồm: {counts} (có Danh mục và nội dung cụ thể kèm theo)."
    )


def ended_items(item: DecisionItem) -> list[DecisionItem]:
    """Earlier decision items this item ends: recorded on `item.ends` once the decision is applied, foreseen by
    the same rule as services.decision_apply while it is a draft or waiting for its effective date."""
    if item.decision.status == DecisionStatus.APPLIED:
        return list(item.ends.select_related("decision__issuer"))
    target = {
        Change.AMENDED: lambda: item.version.procedure.published_version(),
        Change.REPLACED: lambda: item.replaces.published_version() if item.replaces else None,
        Change.ABOLISHED: lambda: item.version,
    }.get(item.change, lambda: None)()
    if target is None:
        return []
    return list(
        DecisionItem.objects.filter(version=target, decision__status=DecisionStatus.APPLIED)
        .exclude(decision=item.decision)
        .select_related("decision__issuer")
    )


def _supersessions(sections: list[AnnexSection]) -> list[str]:
    """One sentence per (verb, earlier decision): 'Bãi bỏ thủ tục ... có số thứ tự 01 mục 1 Phần I ...'."""
    ended = defaultdict(list)
    for section in sections:
        for entry in section.entries:
            for old in ended_items(entry.item):
                ended[(ENDING_VERB[entry.item.change], old.decision)].append(old)
    sentences = []
    for (verb, earlier), olds in sorted(ended.items(), key=lambda kv: (kv[0][1].effective_on, kv[0][1].pk, kv[0][0])):
        numbering = {e.item.pk: e for s in annex(earlier, with_content=False) for e in s.entries}
        places = defaultdict(list)
        for old in olds:  # the position the earlier decision printed, when recorded, else the one it would print
            listed = numbering[old.pk]
            place = (old.annex_part or "I", old.annex_section or str(listed.section))
            places[place].append(f"{listed.stt:02d}")
        where = " và ".join(
            f"số thứ tự {', '.join(sorted(n))} mục {section} Phần {part}"
            for (part, section), n in sorted(places.items())
        )
        sentences.append(
            f"{verb} thủ tục hành chính nội bộ có {where} Danh mục ban hành kèm theo {decision_reference(earlier)}."
        )
    return sentences


def article3(issuer: Issuer) -> str:
    if issuer.is_province:
        who = (
            "Chánh Văn phòng Ủy ban nhân dân tỉnh; Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân "
            "các xã, phường, đặc khu và các tổ chức, cá nhân có liên quan"
        )
    else:
        who = "Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và các tổ chức, cá nhân có liên quan"
    return f"{who} chịu trách nhiệm thi hành Quyết định này./."


def _recipients(issuer: Issuer) -> list[str]:
    leaders = "- Chủ tịch, các PCT UBND tỉnh;" if issuer.is_province else "- Lãnh đạo cơ quan;"
    return ["- Như Điều 3;", "- Văn phòng Chính phủ (Cục Kiểm soát TTHC);", leaders, "- Lưu: VT, KSTT."]


# Word building blocks --------------------------------------------------------------------------------------------


def _write_content(doc, version: ProcedureVersion) -> None:
    """The a)–l) components of `version`, as `version_content` assembles them."""
    for heading, paragraphs in version_content(version):
        word.heading(doc, heading)
        for text in paragraphs:
            word.body(doc, text)


# The decision ----------------------------------------------------------------------------------------------------


def decision_docx(decision: PublicationDecision) -> bytes:
    """The Word draft of a publication decision: the decision itself, then its annex (Phần I, Phần II), in the
    issuer's template (its own, its nearest parent's or the default, core/docx_templates/)."""
    issuer = Issuer.of(decision)
    sections = annex(decision)
    return render_document(
        decision.issuer,
        "quyet-dinh-cong-bo",
        decision_context(decision, issuer, sections),
        {
            "bang_danh_muc": lambda doc: _annex_list(doc, sections),
            "bang_noi_dung": lambda doc: _annex_content(doc, sections),
        },
    )


def decision_context(decision, issuer: Issuer, sections) -> dict:
    """The template variables of a publication decision (docs/documents/README.md)."""
    return {
        **issuer_block(decision.issuer),
        "so": decision.number,
        "dia_danh_ngay": f"{place_of(decision.issuer)}, {long_date(decision.signed_on)}",
        "trich_yeu": _title(decision, sections, issuer),
        "tham_quyen": issuer.authority.upper(),
        "can_cu": decision.preamble(),
        "dieu_1": _article1(sections, issuer),
        "dieu_2": f"Quyết định này có hiệu lực kể từ ngày {decision.effective_on:%d/%m/%Y}.",
        "dieu_2_them": _supersessions(sections),
        "dieu_3": article3(issuer),
        "noi_nhan": _recipients(issuer),
        "chuc_vu_ky": word.lines(decision.signing_title().upper()),
        "nguoi_ky": decision.signer,
        "phu_luc_tieu_de": [
            f"DANH MỤC {_kind_words(sections)} {_scope(sections)}".upper(),
            f"THUỘC PHẠM VI QUẢN LÝ CỦA {issuer.name.upper()}",
        ],
        "phu_luc_kem_theo": (
            f"(Kèm theo Quyết định số {decision.number} {long_date(decision.signed_on)} của {issuer.authority})"
        ),
    }


# The annex -------------------------------------------------------------------------------------------------------


LIST_HEADER = ["STT", "Tên thủ tục hành chính", "Lĩnh vực", "Cơ quan thực hiện"]
LIST_WIDTHS = [1.2, 7.8, 3.5, 4.0]
EXTRA_COLUMN = {
    Change.REPLACED: ("Tên thủ tục hành chính được thay thế", 3.3),
    Change.ABOLISHED: ("Quyết định đã công bố thủ tục", 3.3),
}


def _performing(version: ProcedureVersion) -> str:
    """The implementing body; for a procedure performed at several levels, each level's body after its level."""
    rows = version.level_rows()
    if len(rows) > 1:
        return "; ".join(f"{row.get_level_display()}: {row.body or 'Không quy định'}" for row in rows)
    return (
        "; ".join(word.lines(version.performing_body) or word.lines(version.authority)) or version.procedure.owner.name
    )


GROUND_COLUMN = {Change.ABOLISHED: "Văn bản quy định việc bãi bỏ; chuyển tiếp"}


def _ground(item: DecisionItem) -> str:
    """The item's legal ground and transitional clause, as the annex column prints them."""
    return "; ".join(part for part in (item.legal_ground.strip(), item.transition_display()) if part)


def _list_row(entry: Listed, with_ground: bool = False) -> list[str]:
    version = entry.item.version
    row = [f"{entry.stt:02d}", version.name, version.field.name, _performing(version)]
    if entry.item.change == Change.REPLACED:
        replaced = [old.version.name for old in ended_items(entry.item)]
        fallback = entry.item.replaces.latest_version().name if entry.item.replaces else ""
        row.append("; ".join(dict.fromkeys(replaced)) or fallback)
    if entry.item.change == Change.ABOLISHED:
        row.append("; ".join(decision_reference(old.decision, by_whom=False) for old in ended_items(entry.item)))
    if with_ground:
        row.append(_ground(entry.item))
    return row


def _annex_list(doc, sections: list[AnnexSection]) -> None:
    """Phần I: the list of each section by group, field and level (the template holds its heading)."""
    for section in sections:
        word.heading(doc, section.title)
        header, widths = LIST_HEADER, LIST_WIDTHS
        if section.change in EXTRA_COLUMN:
            label, width = EXTRA_COLUMN[section.change]
            header, widths = [*LIST_HEADER, label], [1.2, 5.5, 2.8, 3.7, width]
        with_ground = any(_ground(e.item) for e in section.entries)
        if with_ground:  # a column only when the decision gives a ground or a transition for one of its items
            label = GROUND_COLUMN.get(section.change, "Căn cứ pháp lý")
            header, widths = [*header, label], [1.0, *(w * 0.8 for w in widths[1:]), 3.3]
        for group, fields in section.by_group():
            word.heading(doc, _group_heading(group))
            for n, (field_name, levels) in enumerate(fields, start=1):
                word.heading(doc, f"{_roman(n)}. Lĩnh vực {field_name}")
                for level, entries in levels:
                    word.heading(doc, Level(level).label, italic=True)
                    word.grid_table(doc, header, [_list_row(e, with_ground) for e in entries], widths)
        word.para(doc, "")


def _annex_content(doc, sections: list[AnnexSection]) -> None:
    """Phần II: the full content of each procedure published or changed (the template holds its heading)."""
    for section in sections:
        if section.change == Change.ABOLISHED:
            continue
        word.heading(doc, f"{section.number}. {SECTION_TITLES[section.change].capitalize()}")
        for group, fields in section.by_group():
            word.heading(doc, _group_heading(group))
            for entry in (e for _, levels in fields for _, es in levels for e in es):
                word.heading(doc, f"{section.number}.{entry.stt}. {entry.item.version.name}")
                _write_content(doc, entry.item.version)


# One procedure ---------------------------------------------------------------------------------------------------


def procedure_docx(version: ProcedureVersion) -> bytes:
    """One procedure's full content (the Phần II layout) under a heading block that identifies it."""
    doc = word.new_document()
    word.centred(doc, "THỦ TỤC HÀNH CHÍNH NỘI BỘ", bold=True)
    word.centred(doc, version.name, bold=True).paragraph_format.space_after = Pt(12)
    word.info_table(doc, version_heading(version))
    word.para(doc, "")
    _write_content(doc, version)
    return word.save(doc)


def procedure_pdf(version: ProcedureVersion) -> bytes:
    """The same content as procedure_docx, rendered by WeasyPrint (A4, Times New Roman, "Trang x/y")."""
    from tinhgon.core.pdf import write_pdf

    html = render_to_string(
        "procedures/documents/procedure_pdf.html",
        {
            "title": word.nfc(version.name),
            "heading": version_heading(version),
            "content": version_content(version),
            "printed_on": today(),
        },
    )
    return write_pdf(html)
