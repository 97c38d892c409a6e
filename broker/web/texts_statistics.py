"""The console's words for the oversight statistics, in English and Welsh (merged into
``texts``)."""

from __future__ import annotations

from broker.http.sentences import Language

__all__ = ["STATISTICS_HEADINGS", "STATISTICS_TEXTS"]

_EN = {
    "nav_statistics": "Statistics",
    "statistics_title": "Oversight statistics",
    "statistics_intro": "Counts of the people in IOM cohorts and of what was shared about "
    "them, by month, area and agency. Numbers from 1 to 4, and numbers that would reveal "
    "them, are shown as [c] to protect the people counted. Zero is shown as 0.",
    "statistics_scope_agency": "You see the sharing that involves your organisation, and the "
    "cohort in the area it serves.",
    "statistics_unavailable": "The statistics are not available right now. Try again later.",
    "statistics_period": "Period",
    "statistics_from": "From month (YYYY-MM)",
    "statistics_to": "To month (YYYY-MM)",
    "statistics_area": "Area",
    "statistics_all_areas": "All areas",
    "statistics_show": "Show statistics",
    "statistics_downloads": "Download these statistics",
    "statistics_download_csv": "CSV (comma-separated values)",
    "statistics_download_ods": "ODS spreadsheet, with a cover sheet",
    "statistics_download_json": "JSON (for software)",
    "statistics_cohort": "People in IOM cohorts",
    "statistics_cohort_chart": "Chart: people in each cohort at the end of each month in {area}. "
    "The table after it gives the same numbers.",
    "statistics_net_widening": "Is the cohort growing?",
    "statistics_net_widening_intro": "A cohort that grows quickly, or a large Flex and Free "
    "share, may mean more people are drawn into IOM than needed (net-widening). Areas "
    "flagged grew by more than {threshold}% on the month before.",
    "statistics_flag": "Check",
    "statistics_sharing": "Sharing between agencies",
    "statistics_sharing_chart": "Map: records shared between agencies, each agency a dot and "
    "each arrow from sender to recipient as wide as the number of records. The table after it "
    "gives the same numbers.",
    "statistics_refusals_map": "Refusals between agencies",
    "statistics_refusals_chart": "Map: records refused between agencies, each arrow (dashed) "
    "from sender to recipient as wide as the number of records. The table after it gives the "
    "same numbers.",
    "statistics_map_legend": "Wider arrows: more records. [c]: a thin dotted arrow, number "
    "hidden. No arrow: none.",
    "statistics_map_nothing": "No records in this period.",
    "statistics_map_scroll": "Map, scrolls sideways",
    "statistics_refusals": "Refusals by reason",
    "statistics_legal_basis": "Sharing by legal basis",
    "statistics_quality": "Recording quality",
    "statistics_quality_chart": "Chart: share of records turned away for each agency. The "
    "table after it gives the same numbers.",
    "statistics_time_in_cohort": "Time in the cohort",
    "statistics_suppressed": "[c] means the number is hidden to protect the people counted.",
    "statistics_bad_month": "Enter months as YYYY-MM, with the first month not after the last",
    "statistics_table_region": "Table, scrolls sideways",
    "statistics_not_applicable": "[x] means the number does not apply: there is no month "
    "before, or no one to count.",
    "statistics_rights": "Subject access requests",
    "statistics_rights_none": "No subject access requests were received in this period.",
    "statistics_scope_oversight": "You see the sharing and the cohorts of all of Wales.",
    "console_signed_in_oversight": "Signed in for the oversight group",
    "console_not_for_role_title": "This page is not for your role",
    "console_not_for_role": "This page is for data protection officers. As a member of an "
    "oversight group you can see the statistics.",
    "console_not_for_role_link": "Go to the statistics",
}

_CY = {
    "nav_statistics": "Ystadegau",
    "statistics_title": "Ystadegau goruchwylio",
    "statistics_intro": "Cyfrifon o'r bobl mewn carfannau IOM ac o'r hyn a rannwyd amdanynt, "
    "fesul mis, ardal ac asiantaeth. Dangosir rhifau o 1 i 4, a rhifau a fyddai'n eu datgelu, "
    "fel [c] i ddiogelu'r bobl a gyfrifwyd. Dangosir sero fel 0.",
    "statistics_scope_agency": "Rydych chi'n gweld y rhannu sy'n cynnwys eich sefydliad, a'r "
    "garfan yn yr ardal y mae'n ei gwasanaethu.",
    "statistics_unavailable": "Nid yw'r ystadegau ar gael ar hyn o bryd. Rhowch gynnig arall "
    "arni yn nes ymlaen.",
    "statistics_period": "Cyfnod",
    "statistics_from": "O'r mis (BBBB-MM)",
    "statistics_to": "I'r mis (BBBB-MM)",
    "statistics_area": "Ardal",
    "statistics_all_areas": "Pob ardal",
    "statistics_show": "Dangos ystadegau",
    "statistics_downloads": "Lawrlwytho'r ystadegau hyn",
    "statistics_download_csv": "CSV (gwerthoedd wedi'u gwahanu gan goma)",
    "statistics_download_ods": "Taenlen ODS, gyda thaflen glawr",
    "statistics_download_json": "JSON (ar gyfer meddalwedd)",
    "statistics_cohort": "Pobl mewn carfannau IOM",
    "statistics_cohort_chart": "Siart: pobl ym mhob carfan ar ddiwedd pob mis yn {area}. Mae'r "
    "tabl ar ei ôl yn rhoi'r un rhifau.",
    "statistics_net_widening": "A yw'r garfan yn tyfu?",
    "statistics_net_widening_intro": "Gall carfan sy'n tyfu'n gyflym, neu gyfran fawr Hyblyg a "
    "Rhydd, olygu bod mwy o bobl yn cael eu tynnu i mewn i IOM nag sydd angen. Mae ardaloedd "
    "a nodwyd wedi tyfu mwy na {threshold}% ers y mis cynt.",
    "statistics_flag": "Gwirio",
    "statistics_sharing": "Rhannu rhwng asiantaethau",
    "statistics_sharing_chart": "Map: cofnodion a rannwyd rhwng asiantaethau, pob asiantaeth yn "
    "ddot a phob saeth o'r anfonwr i'r derbynnydd mor llydan â nifer y cofnodion. Mae'r tabl "
    "ar ei ôl yn rhoi'r un rhifau.",
    "statistics_refusals_map": "Gwrthodiadau rhwng asiantaethau",
    "statistics_refusals_chart": "Map: cofnodion a wrthodwyd rhwng asiantaethau, pob saeth "
    "(doredig) o'r anfonwr i'r derbynnydd mor llydan â nifer y cofnodion. Mae'r tabl ar ei ôl "
    "yn rhoi'r un rhifau.",
    "statistics_map_legend": "Saethau lletach: mwy o gofnodion. [c]: saeth denau ddotiog, rhif "
    "wedi'i guddio. Dim saeth: dim.",
    "statistics_map_nothing": "Dim cofnodion yn y cyfnod hwn.",
    "statistics_map_scroll": "Map, mae'n sgrolio i'r ochr",
    "statistics_refusals": "Gwrthodiadau yn ôl rheswm",
    "statistics_legal_basis": "Rhannu yn ôl sail gyfreithiol",
    "statistics_quality": "Ansawdd cofnodi",
    "statistics_quality_chart": "Siart: cyfran y cofnodion a wrthodwyd ar gyfer pob asiantaeth. "
    "Mae'r tabl ar ei ôl yn rhoi'r un rhifau.",
    "statistics_time_in_cohort": "Amser yn y garfan",
    "statistics_suppressed": "Mae [c] yn golygu bod y rhif wedi'i guddio i ddiogelu'r bobl a "
    "gyfrifwyd.",
    "statistics_bad_month": "Rhowch fisoedd fel BBBB-MM, gyda'r mis cyntaf heb fod ar ôl yr olaf",
    "statistics_table_region": "Tabl, mae'n sgrolio i'r ochr",
    "statistics_not_applicable": "Mae [x] yn golygu nad yw'r rhif yn berthnasol: nid oes mis "
    "cynt, neu nid oes neb i'w gyfrif.",
    "statistics_rights": "Ceisiadau mynediad at ddata gan y testun",
    "statistics_rights_none": "Ni dderbyniwyd unrhyw geisiadau mynediad at ddata yn y cyfnod hwn.",
    "statistics_scope_oversight": "Rydych chi'n gweld y rhannu a charfannau Cymru gyfan.",
    "console_signed_in_oversight": "Wedi mewngofnodi ar gyfer y grŵp goruchwylio",
    "console_not_for_role_title": "Nid yw'r dudalen hon ar gyfer eich rôl",
    "console_not_for_role": "Mae'r dudalen hon ar gyfer swyddogion diogelu data. Fel aelod o "
    "grŵp goruchwylio gallwch weld yr ystadegau.",
    "console_not_for_role_link": "Ewch i'r ystadegau",
}

_TABLES_EN = {
    "statistics_table_cohort_size": "People in an IOM cohort at the end of {month}",
    "statistics_table_cohort_size_by_month": "People in an IOM cohort at the end of each month",
    "statistics_table_net_widening": "Cohort size change and Flex and Free share, by area",
    "statistics_table_enrolments": "Enrolments by area and cohort",
    "statistics_table_re_enrolments": "Re-enrolments by area and cohort",
    "statistics_table_deselections": "Deselections (exits) by area and cohort",
    "statistics_table_time_in_cohort": "Days in the cohort of the people who left",
    "statistics_table_sharing_flows": "Records shared, by sender and recipient",
    "statistics_table_refusal_flows": "Records refused, by sender and recipient",
    "statistics_table_sharing_legal_basis": "Records shared, by legal basis and area",
    "statistics_table_sharing_purpose": "Records shared, by purpose and area",
    "statistics_table_sharing_event_type": "Records shared, by event type and area",
    "statistics_table_refusals_reason": "Refusals by reason and area",
    "statistics_table_records_received": "Records received, by agency",
    "statistics_table_recording_quality": "Share of records turned away, by agency",
    "statistics_table_dead_letters_reason": "Records turned away, by agency and reason",
    "statistics_table_subject_access_requests": "Subject access requests received, by outcome",
    "statistics_table_subject_access_extensions": "Subject access requests received, extended",
}
_TABLES_CY = {
    "statistics_table_cohort_size": "Pobl mewn carfan IOM ar ddiwedd {month}",
    "statistics_table_cohort_size_by_month": "Pobl mewn carfan IOM ar ddiwedd pob mis",
    "statistics_table_net_widening": "Newid ym maint y garfan a chyfran Hyblyg a Rhydd, fesul "
    "ardal",
    "statistics_table_enrolments": "Cofrestriadau fesul ardal a charfan",
    "statistics_table_re_enrolments": "Ailgofrestriadau fesul ardal a charfan",
    "statistics_table_deselections": "Dadddethol (gadael) fesul ardal a charfan",
    "statistics_table_time_in_cohort": "Dyddiau yn y garfan y bobl a adawodd",
    "statistics_table_sharing_flows": "Cofnodion a rannwyd, fesul anfonwr a derbynnydd",
    "statistics_table_refusal_flows": "Cofnodion a wrthodwyd, fesul anfonwr a derbynnydd",
    "statistics_table_sharing_legal_basis": "Cofnodion a rannwyd, fesul sail gyfreithiol ac ardal",
    "statistics_table_sharing_purpose": "Cofnodion a rannwyd, fesul diben ac ardal",
    "statistics_table_sharing_event_type": "Cofnodion a rannwyd, fesul math o ddigwyddiad ac ardal",
    "statistics_table_refusals_reason": "Gwrthodiadau fesul rheswm ac ardal",
    "statistics_table_records_received": "Cofnodion a dderbyniwyd, fesul asiantaeth",
    "statistics_table_recording_quality": "Cyfran y cofnodion a wrthodwyd, fesul asiantaeth",
    "statistics_table_dead_letters_reason": "Cofnodion a wrthodwyd, fesul asiantaeth a rheswm",
    "statistics_table_subject_access_requests": "Ceisiadau mynediad a dderbyniwyd, fesul canlyniad",
    "statistics_table_subject_access_extensions": "Ceisiadau mynediad a dderbyniwyd, a estynnwyd",
}

STATISTICS_TEXTS: dict[Language, dict[str, str]] = {
    "en": {**_EN, **_TABLES_EN},
    "cy": {**_CY, **_TABLES_CY},
}

#: The tables' column headings (as the report names them) in each language.
STATISTICS_HEADINGS: dict[Language, dict[str, str]] = {
    "en": {},
    "cy": {
        "Area": "Ardal",
        "Month": "Mis",
        "Total": "Cyfanswm",
        "Sender": "Anfonwr",
        "Agency": "Asiantaeth",
        "Reason": "Rheswm",
        "Purpose": "Diben",
        "Legal basis": "Sail gyfreithiol",
        "Event type": "Math o ddigwyddiad",
        "Cohort": "Carfan",
        "People": "Pobl",
        "Lower quartile": "Chwartel isaf",
        "Median": "Canolrif",
        "Upper quartile": "Chwartel uchaf",
        "Decided": "Penderfynwyd",
        "Dead-lettered": "Gwrthodwyd",
        "Records received": "Cofnodion a dderbyniwyd",
        "Share dead-lettered (%)": "Cyfran a wrthodwyd (%)",
        "Change on previous month (%)": "Newid ers y mis cynt (%)",
        "Flex and Free share (%)": "Cyfran Hyblyg a Rhydd (%)",
        "Flag": "Baner",
    },
}
