"""The console's words for records turned away, in English and Welsh (merged into ``texts``).

``dlq_<reason>`` says in plain words what each dead-letter reason code means and what the
agency can do about it.
"""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["DEAD_LETTER_TEXTS"]

_EN = {
    "nav_dead_letters": "Records turned away",
    "dead_letters_title": "Records turned away",
    "dead_letters_intro": "Records your organisation's system sent that the broker did not "
    "share with anyone, newest first, and why. Nothing about the person is shown here: use the "
    "event id to find the record in your own system.",
    "dead_letters_none": "The broker has not turned away any of your records.",
    "dead_letters_unavailable": "We cannot show these records right now. Try again later.",
    "dead_letters_why": "Why",
    "dead_letters_detail": "Detail",
    "dead_letters_where": "Where",
    "dead_letters_where_text": "Partition {partition}, position {offset}",
    "dlq_not_cohort_authority": "Only the police and probation for the person's area can add "
    "someone to IOM or take them off it. Your record tried to, so it was not used.",
    "dlq_identifier_conflict": "The record's identifiers belong to someone else, or do not "
    "match the ones we already hold for this person. We changed nothing. Check the person's "
    "identifiers in your system.",
    "dlq_malformed_frame": "The record was not in the expected format.",
    "dlq_unknown_schema_id": "The record used an event format we do not know.",
    "dlq_unexpected_schema_kind": "The record used a format that is not for events.",
    "dlq_undecodable": "We could not read the record.",
    "dlq_invalid_record": "A value in the record was not allowed.",
    "dlq_oversized": "The record was too big.",
    "dlq_empty_record": "The record was empty.",
    "dlq_agency_mismatch": "The record said it came from another organisation.",
    "dlq_missing_subject": "The record did not say who it is about.",
}

_CY = {
    "nav_dead_letters": "Cofnodion a wrthodwyd",
    "dead_letters_title": "Cofnodion a wrthodwyd",
    "dead_letters_intro": "Cofnodion a anfonodd system eich sefydliad na rannodd y brocer "
    "gydag unrhyw un, y mwyaf newydd yn gyntaf, a pham. Nid oes dim am yr unigolyn yn cael ei "
    "ddangos yma: defnyddiwch rif y digwyddiad i ddod o hyd i'r cofnod yn eich system eich hun.",
    "dead_letters_none": "Nid yw'r brocer wedi gwrthod unrhyw un o'ch cofnodion.",
    "dead_letters_unavailable": "Ni allwn ddangos y cofnodion hyn ar hyn o bryd. Rhowch gynnig "
    "arall arni yn nes ymlaen.",
    "dead_letters_why": "Pam",
    "dead_letters_detail": "Manylion",
    "dead_letters_where": "Ble",
    "dead_letters_where_text": "Rhaniad {partition}, safle {offset}",
    "dlq_not_cohort_authority": "Dim ond yr heddlu a'r gwasanaeth prawf ar gyfer ardal yr "
    "unigolyn all ychwanegu rhywun at IOM neu eu tynnu oddi arno. Ceisiodd eich cofnod wneud "
    "hynny, felly ni chafodd ei ddefnyddio.",
    "dlq_identifier_conflict": "Mae dynodwyr y cofnod yn perthyn i rywun arall, neu nid ydynt "
    "yn cyfateb i'r rhai sydd gennym eisoes ar gyfer yr unigolyn hwn. Ni newidiwyd dim. "
    "Gwiriwch ddynodwyr yr unigolyn yn eich system.",
    "dlq_malformed_frame": "Nid oedd y cofnod yn y fformat disgwyliedig.",
    "dlq_unknown_schema_id": "Defnyddiodd y cofnod fformat digwyddiad nad ydym yn ei adnabod.",
    "dlq_unexpected_schema_kind": "Defnyddiodd y cofnod fformat nad yw ar gyfer digwyddiadau.",
    "dlq_undecodable": "Ni allem ddarllen y cofnod.",
    "dlq_invalid_record": "Nid oedd gwerth yn y cofnod yn cael ei ganiatáu.",
    "dlq_oversized": "Roedd y cofnod yn rhy fawr.",
    "dlq_empty_record": "Roedd y cofnod yn wag.",
    "dlq_agency_mismatch": "Dywedodd y cofnod ei fod wedi dod o sefydliad arall.",
    "dlq_missing_subject": "Nid oedd y cofnod yn dweud am bwy y mae.",
}

DEAD_LETTER_TEXTS: dict[Language, dict[str, str]] = {"en": _EN, "cy": _CY}
