"""Owners'-assembly vote rules: pure functions, no database (Django only translates messages).

Legal basis, named once here and referred to below:

* 民法典第二百七十八条 (Civil Code art. 278): the list of matters, the quorum
  (专有部分面积占比三分之二以上 *and* 人数占比三分之二以上 of the owners take part)
  and the two thresholds (四分之三以上 of the participating area *and* heads for
  raising maintenance funds, rebuilding and changing the use of common parts;
  过半数 of each for every other matter).
* 法释〔2009〕7号《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》:
  area is the exclusive area of each unit; heads are counted one per unit, except
  that everything the developer still holds counts as one and one buyer with
  several units counts as one.
* 《业主大会和业主委员会指导规则》: the committee has 5 to 11 members, an odd
  number, and a term of at most five years.

"以上" includes the boundary (exactly 2/3 or 3/4 is enough); "过半数" is strict
(exactly one half is not enough). All arithmetic is exact: areas are
:class:`~decimal.Decimal` parsed from strings, and every comparison is a
cross-multiplication over :class:`~fractions.Fraction`, never a rounded ratio.

Two layers share ONE implementation of the rules:

* :func:`decide` and :func:`elect` work on already-aggregated :class:`Totals`
  (the database layer sums in SQL and calls these);
* :func:`tally_decision` and :func:`tally_election` aggregate a roll and ballots
  in memory (the ``tally`` recount command) and then call the functions above.

A package because one module passed 900 lines (house style: split past ~500): base
(errors, enums, areas, totals), roll, thresholds, decisions, elections, workflows,
nominations. Import from here.
"""

from gongzhi.voting.rules.base import (  # noqa: F401
    _AREA_LIMIT,
    _AREA_RE,
    CENT,
    CHOICE_LABELS,
    MATTER_LABELS,
    UNIT_KIND_LABELS,
    ZERO,
    Choice,
    E,
    Matter,
    RuleError,
    T,
    Totals,
    UnitKind,
    _parse_enum,
    _sum,
    format_area,
    parse_area,
    parse_choice,
    parse_kind,
    parse_matter,
)
from gongzhi.voting.rules.decisions import (  # noqa: F401
    DecisionResult,
    _weight,
    collect_ballots,
    decide,
    tally_decision,
)
from gongzhi.voting.rules.elections import (  # noqa: F401
    ElectionResult,
    _check_seats,
    elect,
    tally_election,
    validate_committee_size,
    validate_term_years,
)
from gongzhi.voting.rules.nominations import (  # noqa: F401
    COMMITTEE_LABELS,
    ELECTION_STEPS,
    NOMINATION_KINDS,
    NominationKind,
    nomination_kinds_for,
    parse_nomination,
    room_label,
    rooms_text,
    seats_left,
)
from gongzhi.voting.rules.roll import (  # noqa: F401
    Policy,
    Unit,
    build_roll,
)
from gongzhi.voting.rules.thresholds import (  # noqa: F401
    _AGREE_EXCEEDS_PARTICIPATING,
    _CANDIDATE_EXCEEDS_PARTICIPATING,
    _PARTICIPATING_EXCEEDS_TOTAL,
    _SUPERMAJORITY_MATTERS,
    ELECTION_THRESHOLD,
    MAJORITY,
    QUORUM,
    SUPERMAJORITY,
    Threshold,
    _check_within,
    meets,
    quorum_met,
    threshold_for,
)
from gongzhi.voting.rules.workflows import (  # noqa: F401
    ASSEMBLY_MOVES,
    ASSEMBLY_STATE_LABELS,
    ELECTION_MOVES,
    ELECTION_STATE_LABELS,
    FILING_DEADLINE_DAYS,
    AssemblyState,
    ElectionState,
    check_move,
)

__all__ = [
    "ASSEMBLY_MOVES",
    "ASSEMBLY_STATE_LABELS",
    "ELECTION_MOVES",
    "ELECTION_STATE_LABELS",
    "ELECTION_STEPS",
    "FILING_DEADLINE_DAYS",
    "NOMINATION_KINDS",
    "AssemblyState",
    "ElectionState",
    "NominationKind",
    "check_move",
    "nomination_kinds_for",
    "parse_nomination",
    "seats_left",
    "ELECTION_THRESHOLD",
    "MATTER_LABELS",
    "MAJORITY",
    "QUORUM",
    "SUPERMAJORITY",
    "ZERO",
    "Choice",
    "DecisionResult",
    "ElectionResult",
    "Matter",
    "Policy",
    "RuleError",
    "Threshold",
    "Totals",
    "Unit",
    "UnitKind",
    "build_roll",
    "collect_ballots",
    "decide",
    "elect",
    "format_area",
    "meets",
    "parse_area",
    "parse_choice",
    "parse_kind",
    "parse_matter",
    "quorum_met",
    "tally_decision",
    "tally_election",
    "threshold_for",
    "validate_committee_size",
    "validate_term_years",
]
