#include "jsonitem.h"

#include "utf8.h"

#include <stdlib.h>
#include <string.h>

cJSON *jsonitem_str(const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    char *v = utf8_make_valid(s, strlen(s));
    cJSON *j = v ? cJSON_CreateString(v) : NULL;
    free(v);
    return j;
}

bool jsonitem_add(cJSON *o, const char *key, cJSON *item)
{
    if (!item)
        return false;
    if (!cJSON_AddItemToObject(o, key, item)) {
        cJSON_Delete(item);
        return false;
    }
    return true;
}
