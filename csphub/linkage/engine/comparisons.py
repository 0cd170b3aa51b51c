"""The comparisons, blocking rules and training plan of csphub's model of UK person records.

Each comparison is a list of levels, most specific first; Splink learns, for each level, how often true matches
(m) and non-matches (u) fall into it, and so how much evidence the level is worth. The levels are written for the
errors of real registers: nicknames, typos, first name and surname swapped, day and month swapped, a year off by
one, partial dates, a move to another address in the same postcode sector or district.

Everything here is generated per SQL dialect ("duckdb" or "spark") from the derived columns of
:mod:`.features`, so the same model runs on both backends. :data:`SPEC_VERSION` changes whenever a level, a
comparison or a blocking rule changes: a saved model records it, and a model of another version is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import splink.comparison_level_library as cll
from splink import block_on
from splink.comparison_library import CustomComparison
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

SPEC_VERSION = 2
DIALECTS = ("duckdb", "spark")
NEUTRAL = 0.01  # m = u: a level that neither adds nor removes evidence


@dataclass(frozen=True)
class _Sql:
    dialect: str

    def contains(self, array: str, value: str) -> str:
        fn = "list_contains" if self.dialect == "duckdb" else "array_contains"
        return f"{fn}({array}, {value})"

    def jaro_winkler(self, left: str, right: str) -> str:
        fn = "jaro_winkler_similarity" if self.dialect == "duckdb" else "jaro_winkler"
        return f"{fn}({left}, {right})"

    def swapped(self, first: str, second: str) -> str:
        """First and second names swapped: one exactly, the other at least nearly."""
        return (
            f"(({first}_l = {second}_r AND {self.jaro_winkler(f'{second}_l', f'{first}_r')} >= 0.8) OR "
            f"({first}_r = {second}_l AND {self.jaro_winkler(f'{second}_r', f'{first}_l')} >= 0.8))"
        )

    def levenshtein(self, left: str, right: str) -> str:
        return f"levenshtein({left}, {right})"

    def overlap(self, left: str, right: str) -> str:
        """The share of the smaller list found in the other (1 when one is contained in the other)."""
        if self.dialect == "duckdb":
            return f"(len(list_intersect({left}, {right}))::DOUBLE / least(len({left}), len({right})))"
        return f"(size(array_intersect({left}, {right})) / least(size({left}), size({right})))"

    def jaccard(self, left: str, right: str) -> str:
        if self.dialect == "duckdb":
            return f"(len(list_intersect({left}, {right}))::DOUBLE / len(list_distinct(list_concat({left}, {right}))))"
        return f"(size(array_intersect({left}, {right})) / size(array_union({left}, {right})))"


def _level(sql: str, label: str) -> ComparisonLevelCreator:
    return cll.CustomLevel(sql, label_for_charts=label)


def _null(*columns: str, label: str) -> ComparisonLevelCreator:
    condition = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return cll.CustomLevel(condition, label_for_charts=label).configure(is_null_level=True)


def _neutral_level(sql: str, label: str) -> ComparisonLevelCreator:
    """A level that carries no weight of its own (fixed m = u): the evidence is counted in another comparison."""
    return cll.CustomLevel(sql, label_for_charts=label).configure(
        m_probability=NEUTRAL, u_probability=NEUTRAL, fix_m_probability=True, fix_u_probability=True
    )


def _tf(level: ComparisonLevelCreator, column: str, enabled: bool) -> ComparisonLevelCreator:
    if enabled:
        level.configure(tf_adjustment_column=column, tf_adjustment_weight=1.0)
    return level


def _postcode_tf(level: ComparisonLevelCreator, enabled: bool) -> ComparisonLevelCreator:
    """A shared postcode (a hostel, a care home, a block of flats) says less than a rare one.

    (Measured: taking the plain same-postcode level's u as the reference instead of each level's own lowered the
    demo registers' F1 from 0.990 to 0.981, so each level keeps its own.)"""
    if enabled:
        level.configure(
            tf_adjustment_column="postcode", tf_adjustment_weight=1.0, disable_tf_exact_match_detection=True
        )
    return level


def given_name(sql: _Sql, tf: bool) -> CustomComparison:
    return CustomComparison(
        output_column_name="given_name",
        comparison_description="Given name",
        comparison_levels=[
            _null("given", label="Given name missing"),
            _tf(_level("given_l = given_r", "Given names the same"), "given", tf),
            _level(
                "(length(given_l) = 1 OR length(given_r) = 1) AND substr(given_l, 1, 1) = substr(given_r, 1, 1)",
                "An initial that agrees with the other given name",
            ),
            cll.ArrayIntersectLevel("given_nick", 1).configure(
                label_for_charts="Forms of the same name (nicknames: Bill, William)"
            ),
            cll.JaroWinklerLevel("given", 0.92).configure(label_for_charts="Given names nearly the same (typo)"),
            _level("given_mp_l = given_mp_r", "Given names sound the same"),
            _level(
                f"{sql.contains('middle_tokens_r', 'given_l')} OR {sql.contains('middle_tokens_l', 'given_r')}",
                "Given name is the other's middle name",
            ),
            _level(sql.swapped("given", "family"), "Given name and surname swapped"),
            cll.JaroWinklerLevel("given", 0.8).configure(label_for_charts="Given names similar"),
            cll.ElseLevel().configure(label_for_charts="Given names different"),
        ],
    )


def middle_names(sql: _Sql, tf: bool) -> CustomComparison:
    return CustomComparison(
        output_column_name="middle_names",
        comparison_description="Middle names",
        comparison_levels=[
            _null("middle_tokens", label="Middle names missing on one side"),
            _level("middle_tokens_l = middle_tokens_r", "Middle names the same"),
            cll.ArrayIntersectLevel("middle_tokens", 1).configure(label_for_charts="A middle name in common"),
            _level("middle_init_l = middle_init_r", "First middle names share an initial"),
            cll.ElseLevel().configure(label_for_charts="Middle names different"),
        ],
    )


def family_name(sql: _Sql, tf: bool) -> CustomComparison:
    return CustomComparison(
        output_column_name="family_name",
        comparison_description="Surname",
        comparison_levels=[
            _null("family", label="Surname missing"),
            _tf(_level("family_l = family_r", "Surnames the same"), "family", tf),
            cll.JaroWinklerLevel("family", 0.92).configure(label_for_charts="Surnames nearly the same (typo)"),
            _level("family_mp_l = family_mp_r", "Surnames sound the same"),
            _neutral_level(
                sql.swapped("family", "given"), "Surname and given name swapped (counted once, with the given name)"
            ),
            cll.ArrayIntersectLevel("family_tokens", 1).configure(
                label_for_charts="Part of a double-barrelled surname agrees"
            ),
            cll.JaroWinklerLevel("family", 0.8).configure(label_for_charts="Surnames similar"),
            cll.ElseLevel().configure(label_for_charts="Surnames different"),
        ],
    )


def date_of_birth(sql: _Sql, tf: bool) -> CustomComparison:
    return CustomComparison(
        output_column_name="date_of_birth",
        comparison_description="Date of birth",
        comparison_levels=[
            _null("dob_y", label="Date of birth missing"),
            _tf(_level("dob_l = dob_r", "Dates of birth the same"), "dob", tf),
            _level(
                "dob_y_l = dob_y_r AND dob_m_l = dob_d_r AND dob_d_l = dob_m_r",
                "Day and month swapped",
            ),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="One digit different (typo)"),
            _level(
                "abs(dob_y_l - dob_y_r) = 1 AND dob_m_l = dob_m_r AND dob_d_l = dob_d_r",
                "Year off by one, day and month the same",
            ),
            _level(
                "dob_ym_l = dob_ym_r AND (dob_d_l IS NULL OR dob_d_r IS NULL)",
                "Month and year the same, the day unknown on one side",
            ),
            _level(
                "dob_y_l = dob_y_r AND (dob_m_l IS NULL OR dob_m_r IS NULL)",
                "Year the same, the month unknown on one side",
            ),
            _level("dob_ym_l = dob_ym_r", "Month and year the same, day different"),
            _level("dob_y_l = dob_y_r", "Year the same, month and day different"),
            _level("abs(dob_y_l - dob_y_r) <= 2", "Within two years"),
            cll.ElseLevel().configure(label_for_charts="Dates of birth different"),
        ],
    )


def location(sql: _Sql, tf: bool) -> CustomComparison:
    """Postcode and address in one comparison: they say the same thing twice, and counting it twice would make
    every household member look like the same person.

    Addresses are also compared by their character trigrams (spaces and punctuation left out), which tolerates
    typos, words run together or split, and a part missing on one side ("Flat 2", a locality), as long as the house
    numbers do not disagree: Jaccard similarity of the trigrams, and how much of the shorter address the longer
    one contains."""
    jaccard = sql.jaccard("addr_tokens_l", "addr_tokens_r")
    grams = sql.jaccard("addr_grams_l", "addr_grams_r")
    same_house = f"(house_number_l = house_number_r AND {jaccard} >= 0.5)"
    house_agrees = "(house_number_l = house_number_r OR house_number_l IS NULL OR house_number_r IS NULL)"
    close = f"({house_agrees} AND {grams} >= 0.7)"
    similar = f"({house_agrees} AND {grams} >= 0.5)"
    contained = f"({house_agrees} AND {sql.overlap('addr_grams_l', 'addr_grams_r')} >= 0.8)"
    postcode_near = (
        f"({sql.levenshtein('postcode_l', 'postcode_r')} <= 1 OR pc_sector_l = pc_sector_r "
        "OR postcode_l IS NULL OR postcode_r IS NULL)"
    )
    return CustomComparison(
        output_column_name="address",
        comparison_description="Address and postcode",
        comparison_levels=[
            _level(
                "(postcode_l IS NULL OR postcode_r IS NULL) AND (addr_l IS NULL OR addr_r IS NULL)",
                "Address missing",
            ).configure(is_null_level=True),
            _postcode_tf(
                _level(f"postcode_l = postcode_r AND (addr_l = addr_r OR {same_house})", "Same address and postcode"),
                tf,
            ),
            _postcode_tf(_level(f"postcode_l = postcode_r AND {close}", "Same postcode, address nearly the same"), tf),
            _postcode_tf(_level("postcode_l = postcode_r", "Same postcode, address differs"), tf),
            _level(f"addr_l = addr_r OR {same_house}", "Same address, postcode differs (typo)"),
            _level(f"{close} AND {postcode_near}", "Address nearly the same, postcode close or missing"),
            cll.LevenshteinLevel("postcode", 1).configure(label_for_charts="Postcodes one character apart"),
            _level(f"pc_sector_l = pc_sector_r AND {jaccard} >= 0.5", "Similar address in the same postcode sector"),
            _level(close, "Address nearly the same, postcode differs"),
            _level(contained, "One address nearly contained in the other (a part missing)"),
            _level(similar, "Addresses similar"),
            _level("pc_sector_l = pc_sector_r", "Same postcode sector (a move nearby)"),
            _level("pc_district_l = pc_district_r", "Same postcode district"),
            cll.ElseLevel().configure(label_for_charts="Different places"),
        ],
    )


def _place_part(column: str, description: str) -> Callable[[_Sql, bool], CustomComparison]:
    """A part of a split address (a locality, a town, a county), compared only when both records have it: a
    one-line address leaves it missing, and it then neither adds nor removes evidence."""

    def build(sql: _Sql, tf: bool) -> CustomComparison:
        return CustomComparison(
            output_column_name=column,
            comparison_description=description,
            comparison_levels=[
                _null(column, label=f"{description} missing"),
                _level(f"{column}_l = {column}_r", f"{description} the same"),
                cll.JaroWinklerLevel(column, 0.9).configure(label_for_charts=f"{description} nearly the same"),
                _level(
                    f"replace({column}_l, ' ', '') = replace({column}_r, ' ', '')",
                    f"{description} the same but for spaces",
                ),
                cll.ElseLevel().configure(label_for_charts=f"{description} different"),
            ],
        )

    return build


locality = _place_part("locality", "Locality")
town = _place_part("town", "Town")
county = _place_part("county", "County")


def sex(sql: _Sql, tf: bool) -> CustomComparison:
    return CustomComparison(
        output_column_name="sex",
        comparison_description="Sex",
        comparison_levels=[
            _null("sex", label="Sex not recorded"),
            _level("sex_l = sex_r", "Same sex"),
            cll.ElseLevel().configure(label_for_charts="Different sex"),
        ],
    )


SAME_HOUSEHOLD = "family_l = family_r AND postcode_l = postcode_r AND house_number_l = house_number_r"


def household(sql: _Sql, tf: bool) -> CustomComparison:
    """A correction, not evidence: people of one household share surname and address (and twins a date of birth),
    so agreeing on all of them says much less than the separate comparisons add up to. Its weights are fixed after
    training from how often non-matching pairs share them (see :func:`household_correction`)."""
    return CustomComparison(
        output_column_name="household",
        comparison_description="Household (shared surname and address)",
        comparison_levels=[
            _neutral_level(
                f"{SAME_HOUSEHOLD} AND dob_l = dob_r",
                "Same surname, address and date of birth, as twins have",
            ),
            _neutral_level(SAME_HOUSEHOLD, "Same surname and address, as family members have"),
            cll.ElseLevel().configure(
                label_for_charts="Not the same household",
                m_probability=NEUTRAL,
                u_probability=NEUTRAL,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
        ],
    )


COMPARISONS = (given_name, middle_names, family_name, date_of_birth, location, locality, town, county, sex, household)
COMPARISON_NAMES = (
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "address",
    "locality",
    "town",
    "county",
    "sex",
    "household",
)
DESCRIPTIONS = {
    "given_name": "Given name",
    "middle_names": "Middle names",
    "family_name": "Surname",
    "date_of_birth": "Date of birth",
    "address": "Address and postcode",
    "locality": "Locality",
    "town": "Town",
    "county": "County",
    "sex": "Sex",
    "household": "Household",
}
TF_COLUMNS = ("given", "family", "dob", "postcode")


def comparisons(dialect: str, *, tf: bool = True) -> list[CustomComparison]:
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {DIALECTS}, not {dialect!r}")
    sql = _Sql(dialect)
    return [build(sql, tf) for build in COMPARISONS]


def core_blocking_rules() -> list[BlockingRuleCreator | str]:
    """The rules that are always used: a true pair is scored if any rule holds for it.

    Each tolerates different errors: a date of birth with the same initial (any typo in a name), names that sound
    alike in the same year of birth or postcode district, the same house, names swapped, names that sound alike
    when a date of birth is missing. (Measured on a million synthetic records: each rule left out of this list
    loses at most 0.6 % of true pairs; those that lost under 0.01 % at real cost were dropped.)
    """
    return [
        block_on("dob", "family_init"),
        block_on("dob", "given_init"),
        block_on("given_mp", "family_mp", "dob_y"),
        block_on("family_mp", "postcode"),
        block_on("postcode", "house_number"),
        block_on("family_mp", "dob_ym", "given_init"),
        "l.given_mp = r.family_mp AND l.family_mp = r.given_mp",
        block_on("given_mp", "family_mp", "pc_district"),
        block_on("dob", "pc_district"),
        "l.given_mp = r.given_mp AND l.family_mp = r.family_mp AND (l.dob_y IS NULL OR r.dob_y IS NULL)",
    ]


def wider_blocking_rules() -> list[tuple[str, ...]]:
    """Wider rules, each used when the pairs it adds fit the comparison budget (small registers get them all, so
    their recall is higher; a million records get the ones that stay cheap)."""
    return [
        ("dob",),
        ("given_mp", "family_mp"),
        ("postcode",),
        ("given_init", "family_init", "dob_y"),
        ("family_mp", "pc_district"),
        ("addr",),
        ("family_mp",),
        ("given_mp", "dob_y"),
        ("family_init", "dob_y", "pc_district"),
        ("given_init", "dob_y", "pc_district"),
    ]


def blocking_rules(
    count_pairs: Callable[[tuple[str, ...]], int] | None = None, budget: float = 0
) -> list[BlockingRuleCreator | str]:
    """The core rules, then each wider rule whose pair count (``count_pairs(columns)``) still fits in ``budget``
    pairs in all (wider rules are skipped when no counter is given)."""
    rules = core_blocking_rules()
    if count_pairs is None:
        return rules
    spent = 0
    for columns in wider_blocking_rules():
        pairs = count_pairs(columns)
        if spent + pairs <= budget:
            rules.append(block_on(*columns))
            spent += pairs
    return rules


def rule_sql(rule: BlockingRuleCreator | str) -> str:
    """A rule as DuckDB SQL over ``l`` and ``r``."""
    if isinstance(rule, str):
        return rule
    return str(rule.get_blocking_rule("duckdb").blocking_rule_sql)


def training_rules() -> list[list[BlockingRuleCreator | str]]:
    """Expectation maximisation rounds, each a list of alternatives (the first that yields pairs is used): each
    round estimates the comparisons its rule does not use.

    Household members share a surname and an address, twins a date of birth, a father and son a name: pairs of them
    would look like matches with one error and teach the model that matches often disagree on given name or date
    of birth. So the round that estimates names only looks at pairs at different postcodes, and the round that
    estimates addresses needs the same date of birth and given name. The alternatives serve registers without
    postcodes or dates of birth."""
    return [
        ["l.dob = r.dob AND l.postcode <> r.postcode", block_on("dob"), block_on("postcode", "house_number")],
        [block_on("given_mp", "family_mp"), block_on("family_mp")],
        [block_on("dob", "given_mp"), block_on("given_mp", "family_mp", "dob_y"), block_on("given", "family")],
    ]


def deterministic_rules() -> list[str]:
    """Pairs almost certainly the same person: used only to estimate how many pairs match at all."""
    return [
        "l.given = r.given AND l.family = r.family AND l.dob = r.dob",
        "l.family = r.family AND l.dob = r.dob AND l.postcode = r.postcode",
        "l.given = r.given AND l.family = r.family AND l.postcode = r.postcode",
    ]
