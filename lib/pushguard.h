/* libpushguard: the public API, one header per concern. */
#ifndef PUSHGUARD_H
#define PUSHGUARD_H

#include "buf.h"
#include "chain.h"
#include "check.h"
#include "check_secrets.h"
#include "error.h"
#include "finding.h"
#include "glob.h"
#include "hook.h"
#include "identity.h"
#include "install.h"
#include "oidmap.h"
#include "policy.h"
#include "policy_ref.h"
#include "push.h"
#include "regex.h"
#include "render.h"
#include "report.h"
#include "repo.h"
#include "strvec.h"
#include "walk.h"

#endif
