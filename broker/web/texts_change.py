"""The console's words around a change in words, simulation coverage and the check-answers
pages, in English and Welsh (merged into ``texts``)."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["CHANGE_TEXTS"]

_EN = {
    "files_changed": "Files changed",
    "change_heading": "What this change does",
    "change_intro": "Each rule the proposal adds, removes or changes, in words. Changes are "
    "marked; the rest of each rule is shown so you can see it whole.",
    "change_none": "This proposal changes no agreement.",
    "change_added": "New",
    "change_removed": "Removed",
    "change_changed": "Changed",
    "change_was": "was",
    "change_details": "Details shared",
    "change_no_longer_shared": "no longer shared",
    "coverage_heading": "Rules this change touches",
    "coverage_intro": "Recorded traffic may never reach a changed rule, so we also made up "
    "test events for each one: from each sender, about people in each area and cohort, with "
    "and without consent. No real person's data is used.",
    "coverage_tested": "Tested",
    "coverage_not_tested": "Not tested",
    "coverage_terms_only": "only how long it is kept, the purpose or the law changes; nobody "
    "receives anything different",
    "coverage_by_traffic": "Reached by the recorded traffic.",
    "coverage_not_by_traffic": "Not reached by the recorded traffic.",
    "coverage_by_generated": "Reached by the test events.",
    "coverage_not_by_generated": "The test events could not meet its condition: check it "
    "with the people who know the data.",
    "generated_caption": "What would change for the test events",
    "generated_events": "test events",
    "verdict_no_rule": "This proposal changes no rule, so nothing would be shared differently.",
    "verdict_not_all_tested": "Not every changed rule could be tested. Do not take the "
    "absence of differences as proof that nothing changes.",
    "verdict_changes": "The tables above show what would be shared differently.",
}

_CY = {
    "files_changed": "Ffeiliau a newidiwyd",
    "change_heading": "Beth mae'r newid hwn yn ei wneud",
    "change_intro": "Pob rheol y mae'r cynnig yn ei hychwanegu, ei dileu neu ei newid, mewn "
    "geiriau. Mae'r newidiadau wedi'u marcio; dangosir gweddill pob rheol er mwyn i chi ei "
    "gweld yn gyfan.",
    "change_none": "Nid yw'r cynnig hwn yn newid unrhyw gytundeb.",
    "change_added": "Newydd",
    "change_removed": "Wedi'i dileu",
    "change_changed": "Wedi newid",
    "change_was": "roedd yn",
    "change_details": "Manylion a rennir",
    "change_no_longer_shared": "dim yn cael ei rannu mwyach",
    "coverage_heading": "Rheolau y mae'r newid hwn yn effeithio arnynt",
    "coverage_intro": "Efallai na fydd traffig a gofnodwyd byth yn cyrraedd rheol a newidiwyd, "
    "felly fe wnaethom hefyd greu digwyddiadau prawf ar gyfer pob un: gan bob anfonwr, am bobl "
    "ym mhob ardal a charfan, gyda chaniatâd a hebddo. Ni ddefnyddir data unrhyw berson go "
    "iawn.",
    "coverage_tested": "Wedi'i phrofi",
    "coverage_not_tested": "Heb ei phrofi",
    "coverage_terms_only": "dim ond am ba hyd y'i cedwir, y diben neu'r gyfraith sy'n newid; "
    "nid oes neb yn cael unrhyw beth gwahanol",
    "coverage_by_traffic": "Wedi'i chyrraedd gan y traffig a gofnodwyd.",
    "coverage_not_by_traffic": "Heb ei chyrraedd gan y traffig a gofnodwyd.",
    "coverage_by_generated": "Wedi'i chyrraedd gan y digwyddiadau prawf.",
    "coverage_not_by_generated": "Ni allai'r digwyddiadau prawf fodloni ei hamod: gwiriwch hi "
    "gyda'r bobl sy'n adnabod y data.",
    "generated_caption": "Beth fyddai'n newid i'r digwyddiadau prawf",
    "generated_events": "digwyddiad prawf",
    "verdict_no_rule": "Nid yw'r cynnig hwn yn newid unrhyw reol, felly ni fyddai dim yn cael "
    "ei rannu'n wahanol.",
    "verdict_not_all_tested": "Nid oedd modd profi pob rheol a newidiwyd. Peidiwch â chymryd "
    "absenoldeb gwahaniaethau fel prawf nad oes dim yn newid.",
    "verdict_changes": "Mae'r tablau uchod yn dangos beth fyddai'n cael ei rannu'n wahanol.",
}

CHANGE_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
