use serde::{Deserialize, Serialize};

/// Who a credential belongs to. Every change is recorded with its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    ApiApp,
    Staff,
    Manager,
    Clerk,
    Member,
    Driver,
    System,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ApiApp => "api_app",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Clerk => "clerk",
            Role::Member => "member",
            Role::Driver => "driver",
            Role::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Admin, Role::ApiApp, Role::Staff, Role::Manager, Role::Clerk, Role::Member, Role::Driver, Role::System]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// The authenticated principal performing an operation, scoped to one tenant (admins to all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// The identity's key (account, API app, ...); 0 for the system.
    pub id: i64,
    /// The tenant the actor acts in; `None` only for platform admins and the system.
    pub tenant_id: Option<i64>,
    /// The store an actor is bound to (staff, managers, clerks).
    pub store_id: Option<i64>,
}

impl Actor {
    pub fn system() -> Actor {
        Actor { role: Role::System, id: 0, tenant_id: None, store_id: None }
    }

    /// Whether this actor may read or change data of `tenant_id`.
    pub fn can_access_tenant(&self, tenant_id: i64) -> bool {
        match self.role {
            Role::Admin | Role::System => self.tenant_id.is_none() || self.tenant_id == Some(tenant_id),
            _ => self.tenant_id == Some(tenant_id),
        }
    }
}
