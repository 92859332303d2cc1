//! The OpenAPI document, generated from the handlers and wire types.

use crate::error::{ErrorBody, ErrorDetail};
use crate::wire::{
    Institution, InstitutionListing, Occupation, OccupationLevel, OccupationLevels, Page, Policy,
    Region, Setting, SubsidyCategory,
};
use axum::Json;
use utoipa::OpenApi;

/// The OpenAPI description of DTE's API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "DTE — 辽宁省数字技术工程师培育项目管理平台 API",
        description = "The API of DTE. Collections answer `{\"items\": [...], \"next\": cursor-or-null}`; errors answer `{\"error\": {\"code\", \"message\", \"field\"}}` with a Chinese message. Money is in integer fen.",
        version = "1"
    ),
    paths(
        crate::api::health::healthz,
        crate::api::health::readyz,
        crate::api::catalog::occupations,
        crate::api::catalog::regions,
        crate::api::catalog::institutions,
        crate::api::catalog::settings,
        crate::api::certificates::verify,
        crate::api::session::create,
        crate::api::session::delete,
        crate::api::session::me,
        crate::api::audit::list,
        document,
    ),
    components(schemas(
        ErrorBody, ErrorDetail, Occupation, OccupationLevels, OccupationLevel, Region,
        Institution, InstitutionListing, Policy, Setting, SubsidyCategory,
        Page<Occupation>, Page<Region>, Page<Institution>,
        crate::api::session::SignInRequest, crate::api::audit::AuditEntry, Page<crate::api::audit::AuditEntry>, crate::api::session::SessionCreated, crate::api::session::Me,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "catalog", description = "两目录: occupations, institutions, regions and quotas, policy"),
        (name = "certificates", description = "Public certificate verification"),
        (name = "session", description = "Sign in and out; bearer tokens for API clients"),
        (name = "audit", description = "The tamper-evident audit log (audit administrator only)"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI document")))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Declares the bearer-token scheme of `POST /api/v1/session`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
