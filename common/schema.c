#include "schema.h"

#include "str.h"

#include <pthread.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---------------------------------------------------------------- columns */

#define COUNT_COL(c, l)                                                        \
    {                                                                          \
        c, l, VT_COUNT, CL_NONE, true, false, NULL, NULL                       \
    }
#define ARMS_COL(c, l, ind)                                                    \
    {                                                                          \
        c, l, VT_COUNT, CL_NONE, true, false, ind, NULL                        \
    }
#define SEX_COL(c, l, s)                                                       \
    {                                                                          \
        c, l, VT_COUNT, CL_NONE, true, false, NULL, s                          \
    }

static const schema_col _cols_value[] = {
    {"VALUE", "Value", VT_TEXT, CL_NONE, true, false, NULL, NULL},
};
static const schema_col _cols_count[] = {COUNT_COL("VALUE", "Value")};
static const schema_col _cols_seized[] = {COUNT_COL("SEIZED", "Seized")};
static const schema_col _cols_sfs[] = {
    ARMS_COL("SEIZED", "Seized", "Arms seized"),
    ARMS_COL("FOUND", "Found", "Arms found"),
    ARMS_COL("SURRENDERED", "Surrendered", "Arms surrendered"),
};
static const schema_col _cols_sex[] = {
    SEX_COL("MALE", "Male", "Male"),
    SEX_COL("FEMALE", "Female", "Female"),
    SEX_COL("UNKNOWN", "Sex unknown", "Unknown"),
    SEX_COL("TOTAL", "Total", "Total"),
};
static const schema_col _cols_total[] = {COUNT_COL("TOTAL", "Total")};
static const schema_col _cols_t11[] = {
    {"DATE", "Date of seizure (YYYY-MM-DD)", VT_DATE, CL_NONE, false, false,
     NULL, NULL},
    {"PLACE_TYPE", "Type of place (T7 code)", VT_CODE, CL_PLACE_TYPE, false,
     false, NULL, NULL},
    {"PLACE", "Place", VT_TEXT, CL_NONE, false, false, NULL, NULL},
    {"ARM_TYPE", "Type of arm (T1 code)", VT_CODE, CL_ARM_TYPE, true, false,
     NULL, NULL},
    {"QUANTITY", "Quantity", VT_COUNT, CL_NONE, true, true, NULL, NULL},
    {"MAKE", "Make", VT_TEXT, CL_NONE, false, false, NULL, NULL},
    {"MODEL", "Model", VT_TEXT, CL_NONE, false, false, NULL, NULL},
    {"CALIBRE", "Calibre", VT_TEXT, CL_NONE, false, false, NULL, NULL},
    {"MARKING", "Marking (T6 code)", VT_CODE, CL_MARKING, false, false, NULL,
     NULL},
    {"MANUFACTURE_COUNTRY", "Country of manufacture (ISO alpha-3)", VT_COUNTRY,
     CL_NONE, false, false, NULL, NULL},
    {"DEPARTURE_COUNTRY", "Country of departure (ISO alpha-3)", VT_COUNTRY,
     CL_NONE, false, false, NULL, NULL},
    {"DESTINATION_COUNTRY", "Country of destination (ISO alpha-3)", VT_COUNTRY,
     CL_NONE, false, false, NULL, NULL},
    {"TRACING", "Tracing result (T8 code)", VT_CODE, CL_TRACING, false, false,
     NULL, NULL},
    {"NOTES", "Notes", VT_TEXT, CL_NONE, false, false, NULL, NULL},
};

/* ------------------------------------------------------------------- rows */

#define CROW(c, l, cat)                                                        \
    {                                                                          \
        c, l, VT_COUNT, CL_NONE, false, NULL, cat                              \
    }

static const schema_row _rows_cover[] = {
    {"COUNTRY", "Country (ISO 3166 alpha-3 code)", VT_COUNTRY, CL_NONE, true,
     NULL, NULL},
    {"YEAR", "Reporting year", VT_YEAR, CL_NONE, true, NULL, NULL},
    {"INSTITUTION", "Institution", VT_TEXT, CL_NONE, false, NULL, NULL},
    {"FOCAL_POINT", "Focal point (name)", VT_TEXT, CL_NONE, false, NULL, NULL},
    {"EMAIL", "E-mail of the focal point", VT_TEXT, CL_NONE, false, NULL, NULL},
    {"SUBMITTED", "Date submitted (YYYY-MM-DD)", VT_DATE, CL_NONE, false, NULL,
     NULL},
    {"CONSENT", "May the country's own figures be published? (YES/NO)", VT_CODE,
     CL_CONSENT, true, NULL, NULL},
    {"VERSION", "Questionnaire version", VT_CODE, CL_VERSION, false, NULL,
     NULL},
};

static const schema_row _rows_t1[] = {
    CROW("PISTOL", "Pistols", "pistol"),
    CROW("REVOLVER", "Revolvers", "revolver"),
    CROW("RIFLE", "Rifles (including carbines)", "rifle (Inlcuding Carbine)"),
    CROW("SHOTGUN", "Shotguns (including short carbines)",
         "shotgun (Including Short Carbine)"),
    CROW("SUBMACHINE_GUN", "Sub-machine guns", "submachine gun"),
    CROW("MACHINE_GUN", "Machine guns", "machine gun"),
    CROW("OTHER", "Other weapons", "other weapons"),
    CROW("UNKNOWN", "Type unknown", "Unknown status on type"),
    CROW("TOTAL", "Total", "Total"),
};

static const schema_row _rows_t2[] = {
    {"PARTS", "Parts and components seized", VT_COUNT, CL_NONE, false,
     "Parts and components seized", "Total"},
    {"AMMUNITION", "Ammunition seized (rounds)", VT_COUNT, CL_NONE, false,
     "Ammunition seized", "Total"},
    {"CASES", "Instances (cases) of seizure", VT_COUNT, CL_NONE, false,
     "Instances/cases of seizures", "Total"},
};

static const schema_row _rows_t3[] = {
    CROW("POSSESSION", "Illicit possession", "illicit posession"),
    CROW("USE", "Illicit use", "illicit use"),
    CROW("TRAFFICKING", "Illicit trafficking", "illicit trafficking"),
    CROW("MANUFACTURE", "Illicit manufacture", "illicit manufacture"),
    CROW("ALTERED_MARKINGS", "Altered markings", "Altered markings"),
    CROW("OTHER", "Other", "other"),
    CROW("UNKNOWN", "Unknown", "unknown"),
    CROW("TOTAL", "Total", "Total"),
};

static const schema_row _rows_t4[] = {
    CROW("VIOLENT_CRIME", "Violent crime", "Violent crime"),
    CROW("DRUGS", "Drug trafficking", "Drugs"),
    CROW("TERRORISM", "Terrorism", "Terrorism"),
    CROW("ORGANIZED_CRIME", "Other forms of organized crime",
         "Other forms of organized crime"),
    CROW("OTHER_TRAFFICKING", "Other trafficking", "Other trafficking"),
    CROW("OTHER_ARMS_OFFENCES", "Other arms offences", "Other arms offences"),
    CROW("ILLICIT_OFFENCES", "Illicit offences", "illicit offences"),
    CROW("OTHER", "Other", "Other"),
};

static const schema_row _rows_t5[] = {
    CROW("INDUSTRIAL", "Industrially manufactured arms",
         "Industrially manufactured arms"),
    CROW("ASSEMBLED", "Assembled arms", "Assembled arms"),
    CROW("CONVERTED", "Converted arms", "Converted arms"),
    CROW("MODIFIED", "Modified arms", "Modified arms"),
    CROW("REACTIVATED", "Reactivated arms", "Reactivated arms"),
    CROW("OTHER_ILLICIT", "Otherwise illicitly manufactured",
         "otherwise illicitly manufactured"),
    CROW("TOTAL", "Total", "Total"),
};

static const schema_row _rows_t6[] = {
    CROW("UNIQUE", "Uniquely marked", "uniquely marked"),
    CROW("ALTERED", "Altered marking", "altered marking"),
    CROW("NONE", "No marking", "no marking"),
    CROW("UNKNOWN", "Marking status unknown", "unknown Status On Marking"),
    CROW("TOTAL", "Total", "Total"),
};

static const schema_row _rows_t7[] = {
    CROW("LAND_BORDER", "Land borders", "land borders"),
    CROW("AIRPORT", "Planes and airports", "planes and airports"),
    CROW("HARBOUR", "Vessels and harbours", "vessels and harbours"),
    CROW("TERRITORY", "National territory", "national territory"),
    CROW("OTHER", "Other", "other"),
    CROW("UNKNOWN", "Unknown", "unknown"),
    CROW("TOTAL", "Total", "Total"),
};

#define UI "Uniquely identifiable - "
static const schema_row _rows_t8[] = {
    CROW("UI_LEGIT_NATIONAL",
         "UI: traced to a legitimate owner in the national registry",
         UI "from legitimate owner in national registry"),
    CROW("UI_ILLEGIT_NATIONAL",
         "UI: traced to an illegitimate owner in the national registry",
         UI "from illegitimate owner in national registry"),
    CROW("UI_ILLEGIT_FOREIGN",
         "UI: traced to an illegitimate owner in a foreign registry",
         UI "from illegitimate owner in foreign registry"),
    CROW("UI_OTHERWISE", "UI: point of diversion otherwise identified",
         UI "point of diversion otherwise identified"),
    CROW("UI_NO_DIVERSION", "UI: traced, no point of diversion identified",
         UI "tracing attempted, no point of diversion identified"),
    CROW("UI_PENDING", "UI: tracing pending", UI "tracing procedure pending"),
    CROW("UI_NOT_INITIATED", "UI: no tracing initiated",
         UI "no tracing procedure initiated"),
    CROW("UI_TOTAL", "Total uniquely identifiable (UI)",
         UI "total uniquely identifiable through marking"),
    CROW("NUI_ILLICIT_MANUFACTURE", "NUI: illicitly manufactured",
         "Not uniquely identifiable - Illicitly manufactured"),
    CROW("NUI_ALTERED", "NUI: erased or altered marking",
         "Not uniquely identifiable - Erased or altered marking"),
    CROW("NUI_NO_INFO", "NUI: no further information",
         "Not uniquely identifiable - No further information available"),
    CROW("NUI_TOTAL", "Total not uniquely identifiable (NUI)",
         "Total not uniquely identifiable through marking"),
    CROW("UNKNOWN_MARKING", "Marking status unknown",
         "Unknown status regarding marking"),
    CROW("TOTAL", "Total", "Total"),
};
#undef UI

static const schema_row _rows_t9[] = {
    {"ARRESTED", "Arrested or suspected", VT_COUNT, CL_NONE, false,
     "Individuals arrested/suspected for illicit trafficking in weapons",
     "Total"},
    {"PROSECUTED", "Prosecuted", VT_COUNT, CL_NONE, false,
     "Individuals prosecuted for illicit trafficking in weapons", "Total"},
    {"CONVICTED", "Convicted", VT_COUNT, CL_NONE, false,
     "Individuals convicted for illicit trafficking in weapons", "Total"},
    {"TARGETED", "Targeted by the criminal justice system", VT_COUNT, CL_NONE,
     false,
     "Individuals targeted by criminal justice system due to illicit "
     "trafficking in weapons",
     "Total"},
};

static const schema_row _rows_t10[] = {
    CROW("ONLY_TRAFFICKING", "Only illicit trafficking in arms",
         "Only for illicit trafficking in arms"),
    CROW("WITH_POSSESSION", "Trafficking and illicit possession/use",
         "Illicit trafficking andIllicit possession/use of arms"),
    CROW("WITH_OTHER_ARMS", "Trafficking and other arms offences",
         "Illicit trafficking and other arms offences"),
    CROW("WITH_DRUGS", "Trafficking and drug trafficking",
         "Illicit trafficking of arms and drug trafficking"),
    CROW("WITH_VIOLENT", "Trafficking and violent crime",
         "Illicit trafficking of arms and violent crime"),
    CROW("WITH_TERRORISM", "Trafficking and terrorism",
         "Illicit trafficking of arms and terrorism"),
    CROW("WITH_OTHER_TRAFFICKING", "Trafficking and other trafficking",
         "Illicit trafficking of arms and other types of trafficking"),
    CROW("WITH_OTHER", "Trafficking and other offences",
         "Illicit trafficking of arms and other offences"),
};

/* ----------------------------------------------------------------- tables */

#define TBL(id, code, title, help, req, free, rows, cols, ind, dim)            \
    [id] = {id,   code,    title, help,    req, free,                          \
            rows, N(rows), cols,  N(cols), ind, dim}

const schema_table schema_tables[TBL__COUNT] = {
    TBL(TBL_COVER, "COVER", "Cover sheet",
        "Who reports, for which year, and whether the figures may be "
        "published.",
        true, false, _rows_cover, _cols_value, NULL, NULL),
    TBL(TBL_T1, "T1", "Arms seized, found and surrendered by type",
        "Number of arms seized, found and surrendered, by type of arm.", true,
        false, _rows_t1, _cols_sfs, NULL, "by type"),
    TBL(TBL_T2, "T2", "Parts, ammunition and cases",
        "Parts and components, rounds of ammunition and instances of seizure.",
        false, false, _rows_t2, _cols_count, NULL, "Total"),
    TBL(TBL_T3, "T3", "Arms seized by legal justification of seizure",
        "Each seized arm counted once, under its main legal justification.",
        false, false, _rows_t3, _cols_seized, "Arms seized",
        "by legal justification of seizure"),
    TBL(TBL_T4, "T4", "Arms seized by other suspected offences",
        "An arm may count in several rows; there is no total.", false, false,
        _rows_t4, _cols_seized, "Arms seized", "by other suspected offences"),
    TBL(TBL_T5, "T5", "Arms seized by condition",
        "Condition of the arms seized.", false, false, _rows_t5, _cols_seized,
        "Arms seized", "by condition"),
    TBL(TBL_T6, "T6", "Arms by marking", "Marking status of the arms.", false,
        false, _rows_t6, _cols_sfs, NULL, "by marking"),
    TBL(TBL_T7, "T7", "Arms seized by place of seizure",
        "Where the arms were seized.", false, false, _rows_t7, _cols_seized,
        "Arms seized", "by location"),
    TBL(TBL_T8, "T8", "Tracing (IAFQ tables 5.1-5.3)",
        "Results of tracing; UI = uniquely identifiable through marking, NUI "
        "= not uniquely identifiable.",
        true, false, _rows_t8, _cols_sfs, NULL, "by location"),
    TBL(TBL_T9, "T9", "Persons",
        "Persons by stage of the criminal justice "
        "process and sex.",
        false, false, _rows_t9, _cols_sex, NULL, "Total"),
    TBL(TBL_T10, "T10", "Persons arrested/suspected by type of offences",
        "Persons arrested or suspected of illicit trafficking, by the other "
        "offences involved.",
        false, false, _rows_t10, _cols_total, "Individuals arrested/suspected",
        "by type of offences"),
    [TBL_T11] = {TBL_T11, "T11", "Significant individual seizures",
                 "One row per seizure; column A holds your own id for the "
                 "seizure.",
                 false, true, NULL, 0, _cols_t11, N(_cols_t11), NULL, NULL},
};

/* ------------------------------------------------------------- code lists */

static const char *const _cl_consent[] = {"YES", "NO"};
static const char *const _cl_consent_l[] = {"Yes, may be published",
                                            "No, not for publication"};
static const char *const _cl_version[] = {"IAFQ-1"};
static const char *const _cl_version_l[] = {"IAFQ version 1"};
static const char *const _cl_arm[] = {
    "PISTOL",         "REVOLVER",    "RIFLE", "SHOTGUN",
    "SUBMACHINE_GUN", "MACHINE_GUN", "OTHER", "UNKNOWN"};
static const char *const _cl_arm_l[] = {
    "Pistol",          "Revolver",    "Rifle",        "Shotgun",
    "Sub-machine gun", "Machine gun", "Other weapon", "Type unknown"};
static const char *const _cl_place[] = {"LAND_BORDER", "AIRPORT", "HARBOUR",
                                        "TERRITORY",   "OTHER",   "UNKNOWN"};
static const char *const _cl_place_l[] = {"Land border",
                                          "Plane or airport",
                                          "Vessel or harbour",
                                          "National territory",
                                          "Other",
                                          "Unknown"};
static const char *const _cl_mark[] = {"UNIQUE", "ALTERED", "NONE", "UNKNOWN"};
static const char *const _cl_mark_l[] = {"Uniquely marked", "Altered marking",
                                         "No marking", "Unknown"};
static const char *const _cl_trace[] = {
    "UI_LEGIT_NATIONAL", "UI_ILLEGIT_NATIONAL",     "UI_ILLEGIT_FOREIGN",
    "UI_OTHERWISE",      "UI_NO_DIVERSION",         "UI_PENDING",
    "UI_NOT_INITIATED",  "NUI_ILLICIT_MANUFACTURE", "NUI_ALTERED",
    "NUI_NO_INFO",       "UNKNOWN_MARKING"};
static const char *const _cl_trace_l[] = {
    "Legitimate owner, national registry",
    "Illegitimate owner, national registry",
    "Illegitimate owner, foreign registry",
    "Diversion otherwise identified",
    "No point of diversion identified",
    "Tracing pending",
    "No tracing initiated",
    "Illicitly manufactured",
    "Erased or altered marking",
    "No further information",
    "Marking status unknown"};

#define CL(id, a, l) [id] = {#id + 3, a, l, N(a)}
const schema_codelist schema_codelists[CL__COUNT] = {
    [CL_NONE] = {"NONE", NULL, NULL, 0},
    CL(CL_CONSENT, _cl_consent, _cl_consent_l),
    CL(CL_VERSION, _cl_version, _cl_version_l),
    CL(CL_ARM_TYPE, _cl_arm, _cl_arm_l),
    CL(CL_PLACE_TYPE, _cl_place, _cl_place_l),
    CL(CL_MARKING, _cl_mark, _cl_mark_l),
    CL(CL_TRACING, _cl_trace, _cl_trace_l),
};

/* ------------------------------------------------------------------ rules */

static const char *const _sum_t1[] = {
    "PISTOL",         "REVOLVER",    "RIFLE", "SHOTGUN",
    "SUBMACHINE_GUN", "MACHINE_GUN", "OTHER", "UNKNOWN"};
static const char *const _sum_t3[] = {
    "POSSESSION",       "USE",   "TRAFFICKING", "MANUFACTURE",
    "ALTERED_MARKINGS", "OTHER", "UNKNOWN"};
static const char *const _sum_t5[] = {"INDUSTRIAL",  "ASSEMBLED",
                                      "CONVERTED",   "MODIFIED",
                                      "REACTIVATED", "OTHER_ILLICIT"};
static const char *const _sum_t6[] = {"UNIQUE", "ALTERED", "NONE", "UNKNOWN"};
static const char *const _sum_t7[] = {"LAND_BORDER", "AIRPORT", "HARBOUR",
                                      "TERRITORY",   "OTHER",   "UNKNOWN"};
static const char *const _sum_t8ui[] = {
    "UI_LEGIT_NATIONAL", "UI_ILLEGIT_NATIONAL", "UI_ILLEGIT_FOREIGN",
    "UI_OTHERWISE",      "UI_NO_DIVERSION",     "UI_PENDING",
    "UI_NOT_INITIATED"};
static const char *const _sum_t8nui[] = {"NUI_ILLICIT_MANUFACTURE",
                                         "NUI_ALTERED", "NUI_NO_INFO"};
static const char *const _sum_t8[] = {"UI_TOTAL", "NUI_TOTAL",
                                      "UNKNOWN_MARKING"};

#define SUM(t, a)                                                              \
    {                                                                          \
        t, "TOTAL", a, N(a)                                                    \
    }
const schema_sum schema_sums[] = {
    SUM(TBL_T1, _sum_t1),
    SUM(TBL_T3, _sum_t3),
    SUM(TBL_T5, _sum_t5),
    SUM(TBL_T6, _sum_t6),
    SUM(TBL_T7, _sum_t7),
    {TBL_T8, "UI_TOTAL", _sum_t8ui, N(_sum_t8ui)},
    {TBL_T8, "NUI_TOTAL", _sum_t8nui, N(_sum_t8nui)},
    SUM(TBL_T8, _sum_t8),
};
const int schema_nsums = N(schema_sums);

#define T1_SEIZED_TOTAL                                                        \
    {                                                                          \
        TBL_T1, "TOTAL", "SEIZED"                                              \
    }
#define T4_LE(r)                                                               \
    {                                                                          \
        {{TBL_T4, r, "SEIZED"}}, 1, CROSS_LE, {T1_SEIZED_TOTAL}, 1, false      \
    }
#define T9_EQ(r)                                                               \
    {                                                                          \
        {{TBL_T9, r, "TOTAL"}}, 1, CROSS_EQ,                                   \
            {{TBL_T9, r, "MALE"},                                              \
             {TBL_T9, r, "FEMALE"},                                            \
             {TBL_T9, r, "UNKNOWN"}},                                          \
            3, false                                                           \
    }

const schema_cross schema_crosses[] = {
    {{{TBL_T3, "TOTAL", "SEIZED"}}, 1, CROSS_EQ, {T1_SEIZED_TOTAL}, 1, false},
    {{{TBL_T5, "TOTAL", "SEIZED"}}, 1, CROSS_EQ, {T1_SEIZED_TOTAL}, 1, false},
    {{{TBL_T7, "TOTAL", "SEIZED"}}, 1, CROSS_EQ, {T1_SEIZED_TOTAL}, 1, false},
    {{{TBL_T6, "TOTAL", NULL}},
     1,
     CROSS_EQ,
     {{TBL_T1, "TOTAL", NULL}},
     1,
     true},
    {{{TBL_T8, "TOTAL", NULL}},
     1,
     CROSS_EQ,
     {{TBL_T1, "TOTAL", NULL}},
     1,
     true},
    {{{TBL_T8, "UI_TOTAL", NULL}},
     1,
     CROSS_EQ,
     {{TBL_T6, "UNIQUE", NULL}},
     1,
     true},
    {{{TBL_T8, "NUI_TOTAL", NULL}},
     1,
     CROSS_EQ,
     {{TBL_T6, "ALTERED", NULL}, {TBL_T6, "NONE", NULL}},
     2,
     true},
    {{{TBL_T8, "UNKNOWN_MARKING", NULL}},
     1,
     CROSS_EQ,
     {{TBL_T6, "UNKNOWN", NULL}},
     1,
     true},
    T4_LE("VIOLENT_CRIME"),
    T4_LE("DRUGS"),
    T4_LE("TERRORISM"),
    T4_LE("ORGANIZED_CRIME"),
    T4_LE("OTHER_TRAFFICKING"),
    T4_LE("OTHER_ARMS_OFFENCES"),
    T4_LE("ILLICIT_OFFENCES"),
    T4_LE("OTHER"),
    T9_EQ("ARRESTED"),
    T9_EQ("PROSECUTED"),
    T9_EQ("CONVICTED"),
    T9_EQ("TARGETED"),
};
const int schema_ncrosses = N(schema_crosses);

const char *const schema_arm_columns[3] = {"SEIZED", "FOUND", "SURRENDERED"};

/* --------------------------------------------------------------- look-ups */

int schema_table_by_sheet(const char *name)
{
    size_t n = strlen(name);
    const char *t = str_trim(name, &n);
    size_t w = 0;
    while (w < n && t[w] != ' ' && t[w] != '\t')
        w++;
    if (w > 4 && str_icmp_n(t + w - 4, ".csv", 4) == 0)
        w -= 4; /* a table CSV file: "T1.csv" */
    for (int i = 0; i < TBL__COUNT; i++) {
        const char *code = schema_tables[i].code;
        size_t m = strlen(code);
        if (m != w)
            continue;
        size_t k = 0;
        while (k < m && ((t[k] | 0x20) == (code[k] | 0x20)))
            k++;
        if (k == m)
            return i;
    }
    return -1;
}

int schema_row_index(const schema_table *t, const char *code)
{
    for (int i = 0; i < t->nrows; i++)
        if (str_code_eq(code, t->rows[i].code))
            return i;
    return -1;
}

int schema_col_index(const schema_table *t, const char *code)
{
    for (int i = 0; i < t->ncols; i++)
        if (str_code_eq(code, t->cols[i].code))
            return i;
    return -1;
}

int schema_code_index_n(codelist_id cl, const char *code, size_t n)
{
    if ((int)cl <= 0 || cl >= CL__COUNT)
        return -1;
    const schema_codelist *l = &schema_codelists[cl];
    for (int i = 0; i < l->n; i++)
        if (strlen(l->codes[i]) == n && str_icmp_n(code, l->codes[i], n) == 0)
            return i;
    return -1;
}

int schema_code_index(codelist_id cl, const char *code)
{
    if ((int)cl <= 0 || cl >= CL__COUNT)
        return -1;
    const schema_codelist *l = &schema_codelists[cl];
    for (int i = 0; i < l->n; i++)
        if (str_code_eq(code, l->codes[i]))
            return i;
    return -1;
}

/* ------------------------------------------------------ published strings */

#define PUB_MAX 256
static schema_pub _pub[PUB_MAX];
static size_t _npub;
static int _pub_index[TBL__COUNT][SCHEMA_MAX_ROWS][SCHEMA_MAX_COLS];
static pthread_once_t _pub_once = PTHREAD_ONCE_INIT;

static void _pub_add(table_id t, int r, int c, const char *ind, const char *dim,
                     const char *cat, const char *sex, const char *age)
{
    if (_npub >= PUB_MAX)
        return;
    _pub[_npub] = (schema_pub){t, r, c, ind, dim, cat, sex, age};
    _pub_index[t][r][c] = (int)_npub + 1;
    _npub++;
}

static void _pub_build(void)
{
    for (int ti = TBL_T1; ti <= TBL_T10; ti++) {
        const schema_table *t = &schema_tables[ti];
        for (int c = 0; c < t->ncols; c++) {
            for (int r = 0; r < t->nrows; r++) {
                const schema_row *row = &t->rows[r];
                const schema_col *col = &t->cols[c];
                const char *ind = t->indicator     ? t->indicator
                                  : col->indicator ? col->indicator
                                                   : row->indicator;
                const char *dim = t->dimension, *cat = row->category;
                const char *sex = "na", *age = "na";
                bool is_total = strcmp(row->code, "TOTAL") == 0;
                if (ti == TBL_T1 && is_total && c == 0)
                    dim = "Total"; /* Arms seized, Total, Total */
                if (ti == TBL_T6 && is_total &&
                    strcmp(col->code, "SURRENDERED") == 0)
                    cat = "Surrendered"; /* as published */
                if (ti == TBL_T9) {
                    sex = col->sex;
                    age = "Total";
                }
                if (ti == TBL_T10) {
                    sex = "Total";
                    age = "Total";
                }
                _pub_add((table_id)ti, r, c, ind, dim, cat, sex, age);
            }
        }
    }
}

const schema_pub *schema_pub_all(size_t *n)
{
    pthread_once(&_pub_once, _pub_build);
    *n = _npub;
    return _pub;
}

const schema_pub *schema_pub_of(table_id t, int row, int col)
{
    pthread_once(&_pub_once, _pub_build);
    if ((int)t < 0 || t >= TBL__COUNT || row < 0 || row >= SCHEMA_MAX_ROWS ||
        col < 0 || col >= SCHEMA_MAX_COLS)
        return NULL;
    int i = _pub_index[t][row][col];
    return i ? &_pub[i - 1] : NULL;
}
