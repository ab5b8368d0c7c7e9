#pragma once
// Roles and permissions live in services/contracts/iam (every module checks them); the gateway
// uses them under its own namespace.
#include "services/contracts/iam/permissions.hpp"

namespace herald::gateway {

namespace perm = iam::perm;
using iam::find_role;
using iam::is_permission;
using iam::Membership;
using iam::Principal;
using iam::Role;
using iam::roles;

}  // namespace herald::gateway
