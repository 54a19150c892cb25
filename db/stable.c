/* stable.c - the stable views two runs are compared on (stable.h). */
#include "stable.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* clang-format off */
const stable_view stable_views[] = {
    {"sdg_16_4_2", {NULL},
     {"numerator", "denominator", "value", "countries", "withheld", NULL}},
    {"sdg_16_4_2_by_column", {"arms", NULL},
     {"numerator", "denominator", "value", "countries", "withheld", NULL}},
    {"sdg_16_4_2_by_tracing", {"arms", "tracing", NULL},
     {"n", "t8_total", "share_pct", "countries", "withheld", NULL}},
    {"gs1", {"arms", NULL}, {"n", "countries", "withheld", NULL}},
    {"gs2", {"arm_type", NULL},
     {"n", "reported", "share_pct", "countries", "withheld", NULL}},
    {"gs3", {"justification", NULL},
     {"n", "reported", "share_pct", "share_pct_mean", "countries", "withheld",
      NULL}},
    {"gs4", {"offence", NULL}, {"n", "countries", "withheld", NULL}},
    {"gs5", {"dimension", "arms", "category", NULL},
     {"n", "reported", "share_pct", "countries", "withheld", NULL}},
    {"gs6", {"breakdown", "arms", "tracing", NULL},
     {"numerator", "denominator", "value", "countries", "withheld", NULL}},
    {"gs7", {"item", NULL}, {"n", "countries", "withheld", NULL}},
    {"gs8", {"persons", "sex", NULL},
     {"n", "share_pct", "countries", "withheld", NULL}},
    {"gs9", {"flow", "manufacture_code", "departure_code", "destination_code",
             NULL},
     {"quantity", "seizures", "countries", "withheld", NULL}},
};
/* clang-format on */
const size_t stable_nviews = sizeof stable_views / sizeof *stable_views;

static int add_names(cJSON *o, const char *name, const char *const *cols)
{
    cJSON *a = cJSON_AddArrayToObject(o, name);
    if (!a)
        return -1;
    for (size_t i = 0; i < STABLE_MAX_COLS && cols[i]; i++) {
        cJSON *s = cJSON_CreateString(cols[i]);
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            return -1;
        }
    }
    return 0;
}

char *stable_spec_json(void)
{
    cJSON *arr = cJSON_CreateArray();
    char *out = NULL;
    for (size_t i = 0; arr && i < stable_nviews; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto done;
        }
        if (!cJSON_AddStringToObject(o, "view", stable_views[i].view) ||
            add_names(o, "keys", stable_views[i].keys) < 0 ||
            add_names(o, "measures", stable_views[i].measures) < 0)
            goto done;
    }
    if (arr)
        out = cJSON_PrintUnformatted(arr);
done:
    cJSON_Delete(arr);
    return out;
}
