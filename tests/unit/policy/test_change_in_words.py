"""A proposed change in words: what a DPO reads before approving, in English and Welsh."""

from __future__ import annotations

from broker.policy.build import build_policy
from broker.policy.change_in_words import change_in_words, change_sentences
from broker.policy.condition_words import condition_words
from broker.policy.policy_set import PolicySet
from broker.policy.policy_source import PolicySource
from broker.policy.retention_words import retention_words
from tests.unit.policy.support import agencies, context, shipped, shipped_source

GDAS = "agreements/gwent-gdas-treatment-dda.yaml"
BASELINE = "agreements/wales-iom-baseline.yaml"


def edited(*edits: tuple[str, str, str]) -> PolicySet:
    """The shipped policy with ``(file, old, new)`` text replacements, parsed and checked."""
    files = dict(shipped_source().files)
    for path, old, new in edits:
        assert old in files[path]
        files[path] = files[path].replace(old, new)
    source = PolicySource(files, label=shipped_source().label)
    return build_policy(source, context())[0].policy


def sentences(proposed: PolicySet, lang: str = "en") -> list[str]:
    """The change from the shipped policy to ``proposed`` as plain-text lines."""
    changes = change_in_words(shipped().policy, proposed, agencies(), lang)  # type: ignore[arg-type]
    return change_sentences(changes, lang)  # type: ignore[arg-type]


def test_a_retention_change_reads_as_years_not_iso_durations() -> None:
    """P1Y -> P2Y reads "Kept for 2 years instead of 1 year" under the agreement's title."""
    lines = sentences(edited((GDAS, "retention: P1Y", "retention: P2Y")))
    assert lines == [
        "Agreement changed: GDAS treatment progress to the Probation Service (Gwent) - data"
        " disclosure agreement",
        "  Rule changed: Gwent Drug and Alcohol Service → The Probation Service in Wales:"
        " outcomes of referrals",
        "    Kept for 2 years instead of 1 year.",
    ]


def test_the_same_change_in_welsh_uses_welsh_names_and_mutated_counts() -> None:
    """In Welsh the agencies, events and counts are Welsh: "2 flynedd yn lle 1 flwyddyn"."""
    lines = sentences(edited((GDAS, "retention: P1Y", "retention: P2Y")), "cy")
    assert lines[1:] == [
        "  Rheol wedi'i newid: Gwasanaeth Cyffuriau ac Alcohol Gwent → Y Gwasanaeth Prawf yng"
        " Nghymru: canlyniadau atgyfeiriadau",
        "    Cedwir am 2 flynedd yn lle 1 flwyddyn.",
    ]


def test_a_removed_detail_and_a_new_transform_are_named_in_words() -> None:
    """Dropping the outcome and masking the CRN name both details and how each is now sent."""
    proposed = edited(
        (GDAS, ", payload.outcome]", "]\n    transform: {subject.crn: mask}"),
    )
    assert sentences(proposed)[2:] == [
        "    The probation case reference (CRN): hidden (only the last characters of an"
        " identifier are shown) instead of sent as recorded.",
        "    No longer shares the outcome.",
    ]


def test_a_new_rule_lists_everything_it_shares_and_its_condition() -> None:
    """An added rule shows sender, recipients, events, purpose, law, retention and details."""
    rule = (
        "  - id: gdas-appointments-to-probation\n"
        "    from: gdas\n"
        "    to: probation-wales\n"
        "    events: [appointment]\n"
        "    purpose: substance_misuse_treatment\n"
        "    legal_basis: explicit_consent\n"
        "    fields: [subject.crn, payload.outcome]\n"
        "    when: subject.consents.substance_misuse_treatment == 'given'\n"
        "    retention: P6M\n"
    )
    lines = sentences(edited((GDAS, "rules:\n", "rules:\n" + rule)))
    assert lines[1:] == [
        "  New rule: Gwent Drug and Alcohol Service → The Probation Service in Wales:"
        " appointments attended or missed",
        "    Shared by Gwent Drug and Alcohol Service.",
        "    Shared with The Probation Service in Wales.",
        "    About appointments attended or missed.",
        "    For the purpose of Drug and alcohol treatment.",
        "    Under Your explicit consent (UK GDPR Articles 6(1)(a) and 9(2)(a)).",
        "    Kept for 6 months.",
        "    Only when the person has consented to sharing for Drug and alcohol treatment.",
        "    Details shared:",
        "      probation case reference (CRN): sent as recorded",
        "      outcome: sent as recorded",
    ]


def test_a_condition_in_a_common_form_is_put_in_words_and_others_shown_verbatim() -> None:
    """Cohort and detail tests read as sentences; anything else is quoted, never guessed."""
    purposes = shipped().policy.vocabulary.purposes
    assert condition_words("subject.cohort in ['FIXED', 'FLEX']", "en", purposes) == (
        "the person is in the Fixed or Flex cohort"
    )
    assert condition_words(
        "payload.new_level in ['HIGH', 'VERY_HIGH'] || payload.previous_level == 'HIGH'",
        "en",
        purposes,
    ) == ("the new risk level is high or very high or the previous risk level is high")
    assert condition_words("payload.action != 'WARNING'", "cy", purposes) == (
        "nid rhybudd yw'r camau a gymerwyd"
    )
    assert condition_words("payload.location_postcode.startsWith('NP')", "en", purposes) is None


def test_a_condition_change_that_is_not_a_common_form_shows_the_code_it_is_written_as() -> None:
    """A condition the words cannot express is shown as written, marked as such."""
    proposed = edited(
        (GDAS, "    retention: P1Y", "    when: size(payload.referral_id) > 3\n    retention: P1Y")
    )
    assert sentences(proposed)[2] == (
        "    Only when written as: size(payload.referral_id) > 3 instead of always (no condition)."
    )


def test_retention_periods_read_as_durations_in_both_languages() -> None:
    """Years, months and their mixes read naturally; anything else stays as written."""
    assert retention_words("P1Y6M", "en") == "1 year and 6 months"
    assert retention_words("P5Y", "cy") == "5 mlynedd"
    assert retention_words("P2M", "cy") == "2 fis"
    assert retention_words("PT5H", "en") == "PT5H"


def test_no_change_says_so() -> None:
    """An identical policy gives one sentence saying that no agreement changes."""
    assert sentences(shipped().policy) == ["This proposal changes no agreement."]
