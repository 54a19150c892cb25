/* gswb_sheets.c - the table sheets of the global study workbook: for each,
 * its view (views.h) and its columns, headers and kinds (gswb_int.h). */
#include "gswb_int.h"

#include "schema.h"

#define AREA_COLS                                                              \
    {"area_type", "Area type", GSWB_K_TEXT, GSWB_NO_TABLE},                    \
        {"area_code", "M49 code", GSWB_K_TEXT, GSWB_NO_TABLE},                 \
        {"area_name", "Area", GSWB_K_TEXT, GSWB_NO_TABLE},                     \
    {                                                                          \
        "year", "Year", GSWB_K_INT, GSWB_NO_TABLE                              \
    }
#define TAIL_COLS                                                              \
    {"countries", "Countries", GSWB_K_INT, GSWB_NO_TABLE},                     \
        {"withheld", "Withheld (internal)", GSWB_K_INT, GSWB_NO_TABLE},        \
    {                                                                          \
        "submission_id", "Submission (internal)", GSWB_K_INT, GSWB_NO_TABLE    \
    }
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const gswb_col c_gs1[] = {
    AREA_COLS,
    {"arms", "Arms", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"arms", "Arms (label)", GSWB_K_LABEL, TBL_T1},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs2[] = {
    AREA_COLS,
    {"arm_type", "Type", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"arm_type", "Type (label)", GSWB_K_LABEL, TBL_T1},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    {"reported", "Reported (sum of types)", GSWB_K_INT, GSWB_NO_TABLE},
    {"share_pct", "Share (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs3[] = {
    AREA_COLS,
    {"justification", "Justification", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"justification", "Justification (label)", GSWB_K_LABEL, TBL_T3},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    {"reported", "Reported", GSWB_K_INT, GSWB_NO_TABLE},
    {"share_pct", "Share, ratio of sums (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    {"share_pct_mean", "Share, mean of national shares (%)", GSWB_K_PCT,
     GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs4[] = {
    AREA_COLS,
    {"offence", "Offence", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"offence", "Offence (label)", GSWB_K_LABEL, TBL_T4},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs5[] = {
    AREA_COLS,
    {"dimension", "Dimension", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"arms", "Arms", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"category", "Category", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"category", "Category (label)", GSWB_K_LABEL, GSWB_BY_DIMENSION},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    {"reported", "Reported", GSWB_K_INT, GSWB_NO_TABLE},
    {"share_pct", "Share (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_sdg[] = {
    AREA_COLS,
    {"numerator", "Arms traced (N)", GSWB_K_INT, GSWB_NO_TABLE},
    {"denominator", "Arms seized, found, surrendered (D)", GSWB_K_INT,
     GSWB_NO_TABLE},
    {"value", "SDG 16.4.2 (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_sdg_column[] = {
    AREA_COLS,
    {"arms", "Column", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"numerator", "Arms traced (N)", GSWB_K_INT, GSWB_NO_TABLE},
    {"denominator", "Arms (D)", GSWB_K_INT, GSWB_NO_TABLE},
    {"value", "SDG 16.4.2 (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_sdg_tracing[] = {
    AREA_COLS,
    {"arms", "Column", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"tracing", "Tracing", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"tracing", "Tracing (label)", GSWB_K_LABEL, TBL_T8},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    {"t8_total", "T8 total", GSWB_K_INT, GSWB_NO_TABLE},
    {"share_pct", "Share of T8 total (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs7[] = {
    AREA_COLS,
    {"item", "Item", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"item", "Item (label)", GSWB_K_LABEL, TBL_T2},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs8[] = {
    AREA_COLS,
    {"persons", "Persons", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"persons", "Persons (label)", GSWB_K_LABEL, TBL_T9},
    {"sex", "Sex", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"n", "Number", GSWB_K_INT, GSWB_NO_TABLE},
    {"share_pct", "Share of total (%)", GSWB_K_PCT, GSWB_NO_TABLE},
    TAIL_COLS,
};
static const gswb_col c_gs9[] = {
    AREA_COLS,
    {"flow", "Flow", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"manufacture_code", "Manufacture code", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"manufacture_name", "Manufacture", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"departure_code", "Departure code", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"departure_name", "Departure", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"destination_code", "Destination code", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"destination_name", "Destination", GSWB_K_TEXT, GSWB_NO_TABLE},
    {"quantity", "Quantity", GSWB_K_INT, GSWB_NO_TABLE},
    {"seizures", "Seizures", GSWB_K_INT, GSWB_NO_TABLE},
    {"countries", "Countries", GSWB_K_INT, GSWB_NO_TABLE},
    {"withheld", "Withheld (internal)", GSWB_K_INT, GSWB_NO_TABLE},
    {"partner_withheld", "Partner withheld (internal)", GSWB_K_BOOL,
     GSWB_NO_TABLE},
    {"submission_id", "Submission (internal)", GSWB_K_INT, GSWB_NO_TABLE},
};

static const gswb_sheet sheets[] = {
    {"GS1", "GS1 Arms", "GS1 Arms seized, found and surrendered",
     "arms seized, found, surrendered (T1 TOTAL of each column) and their "
     "total",
     "gs1", c_gs1, N(c_gs1), GSWB_CH_GS1},
    {"GS2", "GS2 Types", "GS2 Arms seized by type",
     "arms seized by type: count and share of the reported types", "gs2", c_gs2,
     N(c_gs2), GSWB_CH_GS2},
    {"GS3", "GS3 Justification", "GS3 Legal justification of seizure",
     "arms seized by legal justification: share as ratio of sums and as mean "
     "of national shares",
     "gs3", c_gs3, N(c_gs3), GSWB_CH_NONE},
    {"GS4", "GS4 Offences", "GS4 Other suspected offences",
     "arms seized by other suspected offences (an arm may count in several "
     "rows: no share)",
     "gs4", c_gs4, N(c_gs4), GSWB_CH_NONE},
    {"GS5", "GS5 Condition marking place",
     "GS5 Condition, marking and place of seizure",
     "condition (T5), marking (T6) and place of seizure (T7): count and share "
     "of the reported categories",
     "gs5", c_gs5, N(c_gs5), GSWB_CH_NONE},
    {"GS6", "GS6 SDG 16.4.2", "GS6 SDG indicator 16.4.2",
     "SDG 16.4.2: arms traced (N), arms seized, found, surrendered (D), "
     "100 x N / D",
     "sdg_16_4_2", c_sdg, N(c_sdg), GSWB_CH_GS6},
    {"GS6c", "GS6 by column", "GS6 SDG 16.4.2 by column",
     "SDG 16.4.2 for each column (seized, found, surrendered) alone",
     "sdg_16_4_2_by_column", c_sdg_column, N(c_sdg_column), GSWB_CH_NONE},
    {"GS6t", "GS6 by tracing", "GS6 SDG 16.4.2 by tracing level",
     "each T8 row as a share of T8 TOTAL, per column and for ALL columns",
     "sdg_16_4_2_by_tracing", c_sdg_tracing, N(c_sdg_tracing), GSWB_CH_NONE},
    {"GS7", "GS7 Parts ammunition cases", "GS7 Parts, ammunition and cases",
     "parts and components, rounds of ammunition, instances of seizure", "gs7",
     c_gs7, N(c_gs7), GSWB_CH_NONE},
    {"GS8", "GS8 Persons", "GS8 Persons by sex",
     "persons arrested, prosecuted, convicted, targeted by sex; share of the "
     "T9 total (the FEMALE row is the share female)",
     "gs8", c_gs8, N(c_gs8), GSWB_CH_NONE},
    {"GS9", "GS9 Significant seizures", "GS9 Significant seizures (T11)",
     "T11: quantity by area of manufacture, and departure -> destination "
     "routes, per reporting area",
     "gs9", c_gs9, N(c_gs9), GSWB_CH_NONE},
};

const gswb_sheet *gswb_sheets(size_t *n)
{
    *n = sizeof sheets / sizeof *sheets;
    return sheets;
}
