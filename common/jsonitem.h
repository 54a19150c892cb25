/*
 * jsonitem.h - building cJSON documents whose strings are valid UTF-8,
 * written once for every JSON iafq writes (the check report, the portal
 * feed).
 *
 * Ownership: jsonitem_str returns a new item the caller owns (NULL when out
 * of memory); jsonitem_add takes item, whatever happens (added to o, or
 * freed); s, key and o are borrowed.
 */
#ifndef IAFQ_JSONITEM_H
#define IAFQ_JSONITEM_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* A string item holding s made valid UTF-8 (utf8_make_valid), or a null
 * item for NULL. */
cJSON *jsonitem_str(const char *s);

/* Add item under key to o; false (item freed) when item is NULL (a failed
 * creation) or adding failed. */
bool jsonitem_add(cJSON *o, const char *key, cJSON *item);

#endif
