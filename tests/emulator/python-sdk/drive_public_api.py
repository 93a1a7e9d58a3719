#!/usr/bin/env python3
"""Drives the emulator's public API with Airbyte's own Python SDK (PyPI airbyte-api==1.0.1).

Run by tests/emulator/python-sdk.test.ts with the venv that scripts/setup-moto.sh builds:

    python drive_public_api.py SERVER_URL --client-id ID --client-secret SECRET \
        --token-url URL --workspace-id UUID [--cloud]

SERVER_URL is what the SDK is given as `server_url`: `<emulator>/api/public/v1` for a self-managed
server, `<emulator>/v1` for the Cloud layout (the SDK appends `/sources`, `/health`, ... to it).
Authentication is the SDK's client-credentials security with an explicit token URL: its default
`/applications/token` is joined to the server URL with `urljoin` and would lose the path prefix.

Every step asserts what it got (an AssertionError ends the script with a non-zero exit code and
names the step); at the end one JSON object goes to stdout for the TypeScript test to check
against the emulator's own state (stored secrets, request log).
"""
import argparse
import json
import sys
import traceback
import warnings
from typing import Any, Dict, Optional

import airbyte_api
from airbyte_api import api, errors, models

MASK = "**********"
POSTGRES_SOURCE = "decd338e-5647-4c0b-adf4-da0e75f5a750"
POSTGRES_DESTINATION = "25c5221d-dce2-4163-ade9-739ef790f503"

# Raw-dict configurations would otherwise be "serialized" through a connector model; the relaxed
# models below make that moot, this only silences pydantic's notes about it.
warnings.filterwarnings("ignore", message="Pydantic serializer warnings")


def relax_configuration_types() -> None:
    """The documented workaround for raw-dict connector configurations.

    The spec (api.yaml) types `configuration` as a free JSON object, but the SDK is generated from
    api_sdk.yaml, where SourceConfiguration is a union of 555 connector models and
    DestinationConfiguration a `destinationType`-discriminated union of 45
    (airbytehq/airbyte-api-python-sdk#114). With those types a raw dict is silently coerced to
    whichever connector model happens to fit (unknown keys dropped, a wrong `sourceType` added),
    a destination dict without a known `destinationType` cannot even be constructed, and
    responses whose configuration does not match one of the models fail to parse. Re-declaring
    `configuration` as `Dict[str, Any]` on the request and response models (and rebuilding the
    list wrappers that embed them) makes the SDK send and return configurations verbatim.
    """
    targets = [
        (models.SourceCreateRequest, False), (models.SourcePutRequest, False), (models.SourcePatchRequest, True),
        (models.SourceResponse, False),
        (models.DestinationCreateRequest, False), (models.DestinationPutRequest, False),
        (models.DestinationPatchRequest, True), (models.DestinationResponse, False),
    ]
    for model, optional in targets:
        field = model.model_fields["configuration"]
        field.annotation = Optional[Dict[str, Any]] if optional else Dict[str, Any]
        field.metadata = []  # drops the pydantic Discriminator of DestinationConfiguration
        field.discriminator = None
        model.model_rebuild(force=True)
    for container in (models.SourcesResponse, models.DestinationsResponse):
        container.model_rebuild(force=True)


def postgres_source_config(**overrides: Any) -> Dict[str, Any]:
    config = {
        "host": "pg.example.com", "port": 5432, "database": "shop", "schemas": ["public"],
        "username": "postgres", "password": "pg-secret",
        "ssl_mode": {"mode": "prefer"}, "replication_method": {"method": "Standard"},
        "tunnel_method": {"tunnel_method": "NO_TUNNEL"},
    }
    config.update(overrides)
    return config


def postgres_destination_config(**overrides: Any) -> Dict[str, Any]:
    config = {"host": "warehouse.example.com", "port": 5432, "database": "dw", "schema": "public", "username": "loader", "password": "dw-secret"}
    config.update(overrides)
    return config


class Steps:
    """Runs named steps, so a failure says which call went wrong."""

    def __init__(self) -> None:
        self.done: list = []

    def run(self, label: str, fn):
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - reported with the step name, then re-raised
            detail = ""
            if isinstance(exc, errors.SDKError):
                detail = f" (HTTP {exc.status_code}: {exc.body[:500]})"
            raise AssertionError(f"step '{label}' failed: {type(exc).__name__}: {exc}{detail}") from exc
        self.done.append(label)
        return result


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("server_url")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--token-url", required=True)
    parser.add_argument("--workspace-id", required=True)
    parser.add_argument("--cloud", action="store_true")
    args = parser.parse_args(argv)

    relax_configuration_types()
    security = models.Security(client_credentials=models.SchemeClientCredentials(
        client_id=args.client_id, client_secret=args.client_secret, token_url=args.token_url))
    sdk = airbyte_api.AirbyteAPI(server_url=args.server_url.rstrip("/"), security=security, timeout_ms=60_000)
    steps = Steps()
    out: Dict[str, Any] = {"mode": "cloud" if args.cloud else "self-managed"}
    ws = args.workspace_id

    # --- health and workspaces -------------------------------------------------------------
    health = steps.run("health", lambda: sdk.health.get_health_check())
    expect(health.status_code == 200, f"health: {health.status_code}")
    out["health"] = health.raw_response.text

    workspaces = steps.run("list_workspaces", lambda: sdk.workspaces.list_workspaces(request=api.ListWorkspacesRequest()))
    page = workspaces.workspaces_response
    expect([w.workspace_id for w in page.data] == [ws], f"workspaces: {[w.workspace_id for w in page.data]}")
    out["workspacesNext"] = page.next
    workspace = steps.run("get_workspace", lambda: sdk.workspaces.get_workspace(request=api.GetWorkspaceRequest(workspace_id=ws))).workspace_response
    expect(workspace.name == "Default Workspace" and workspace.data_residency == "auto", f"workspace: {workspace}")

    # --- definitions --------------------------------------------------------------------------
    source_defs = steps.run("list_source_definitions", lambda: sdk.source_definitions.list_source_definitions(
        request=api.ListSourceDefinitionsRequest(workspace_id=ws))).definitions_response.data
    expect(POSTGRES_SOURCE in [d.id for d in source_defs], "postgres source definition listed")
    source_def = steps.run("get_source_definition", lambda: sdk.source_definitions.get_source_definition(
        request=api.GetSourceDefinitionRequest(workspace_id=ws, definition_id=POSTGRES_SOURCE))).definition_response
    expect(source_def.docker_repository == "airbyte/source-postgres", f"source definition: {source_def}")
    dest_defs = steps.run("list_destination_definitions", lambda: sdk.destination_definitions.list_destination_definitions(
        request=api.ListDestinationDefinitionsRequest(workspace_id=ws))).definitions_response.data
    expect(POSTGRES_DESTINATION in [d.id for d in dest_defs], "postgres destination definition listed")
    dest_def = steps.run("get_destination_definition", lambda: sdk.destination_definitions.get_destination_definition(
        request=api.GetDestinationDefinitionRequest(workspace_id=ws, definition_id=POSTGRES_DESTINATION))).definition_response
    expect(dest_def.name != "", "destination definition name")
    out["definitions"] = {"sources": len(source_defs), "destinations": len(dest_defs), "sourceName": source_def.name}

    # --- sources --------------------------------------------------------------------------------
    created = steps.run("create_source", lambda: sdk.sources.create_source(request=models.SourceCreateRequest(
        name="shop-db", workspace_id=ws, definition_id=POSTGRES_SOURCE, configuration=postgres_source_config()))).source_response
    source_id = created.source_id
    expect(created.source_type == "postgres", f"sourceType: {created.source_type}")
    expect(created.definition_id == POSTGRES_SOURCE, f"definitionId: {created.definition_id}")
    expect(created.configuration["password"] == MASK, f"masked password: {created.configuration}")
    expect(isinstance(created.created_at, int), "createdAt is an integer")
    # Definition by name: `sourceType` inside the configuration, removed before it is stored.
    by_name = steps.run("create_source_by_type", lambda: sdk.sources.create_source(request=models.SourceCreateRequest(
        name="by-type", workspace_id=ws, configuration=postgres_source_config(sourceType="postgres")))).source_response
    expect(by_name.definition_id == POSTGRES_SOURCE and "sourceType" not in by_name.configuration, f"by type: {by_name}")
    got = steps.run("get_source", lambda: sdk.sources.get_source(request=api.GetSourceRequest(source_id=source_id))).source_response
    expect(got.name == "shop-db" and got.configuration == created.configuration, f"get_source: {got}")
    listed = steps.run("list_sources", lambda: sdk.sources.list_sources(request=api.ListSourcesRequest(
        workspace_ids=[ws], limit=1, offset=0))).sources_response
    expect([s.source_id for s in listed.data] == [source_id], f"first page: {[s.source_id for s in listed.data]}")
    second = steps.run("list_sources_page_2", lambda: sdk.sources.list_sources(request=api.ListSourcesRequest(
        workspace_ids=[ws], limit=1, offset=1))).sources_response
    expect([s.source_id for s in second.data] == [by_name.source_id], "second page")
    out["sourceLinks"] = {"next": listed.next, "previous": listed.previous, "page2Previous": second.previous}
    patched = steps.run("patch_source", lambda: sdk.sources.patch_source(request=api.PatchSourceRequest(
        source_id=source_id, source_patch_request=models.SourcePatchRequest(name="shop-db-renamed", configuration={"port": 6543})))).source_response
    expect(patched.name == "shop-db-renamed" and patched.configuration["port"] == 6543 and patched.configuration["host"] == "pg.example.com", f"patch: {patched}")
    # PUT replaces the configuration; the mask keeps the stored password (copySecrets).
    put = steps.run("put_source", lambda: sdk.sources.put_source(request=api.PutSourceRequest(
        source_id=source_id, source_put_request=models.SourcePutRequest(name="shop-db-put", configuration=postgres_source_config(host="pg2.example.com", password=MASK))))).source_response
    expect(put.name == "shop-db-put" and put.configuration["host"] == "pg2.example.com" and put.configuration["port"] == 5432, f"put: {put}")
    out["source"] = {"id": source_id, "byTypeId": by_name.source_id, "createdAt": created.created_at}

    # --- destinations ---------------------------------------------------------------------------
    dest = steps.run("create_destination", lambda: sdk.destinations.create_destination(request=models.DestinationCreateRequest(
        name="warehouse", workspace_id=ws, definition_id=POSTGRES_DESTINATION, configuration=postgres_destination_config()))).destination_response
    dest_id = dest.destination_id
    expect(dest.destination_type == "postgres" and dest.configuration["password"] == MASK, f"destination: {dest}")
    got_dest = steps.run("get_destination", lambda: sdk.destinations.get_destination(request=api.GetDestinationRequest(destination_id=dest_id))).destination_response
    expect(got_dest.configuration == dest.configuration, "get_destination")
    dests = steps.run("list_destinations", lambda: sdk.destinations.list_destinations(request=api.ListDestinationsRequest(workspace_ids=[ws]))).destinations_response
    expect([d.destination_id for d in dests.data] == [dest_id], "list_destinations")
    dpatch = steps.run("patch_destination", lambda: sdk.destinations.patch_destination(request=api.PatchDestinationRequest(
        destination_id=dest_id, destination_patch_request=models.DestinationPatchRequest(name="warehouse-2")))).destination_response
    expect(dpatch.name == "warehouse-2", "patch_destination")
    dput = steps.run("put_destination", lambda: sdk.destinations.put_destination(request=api.PutDestinationRequest(
        destination_id=dest_id, destination_put_request=models.DestinationPutRequest(name="warehouse-3", configuration=postgres_destination_config(schema="raw", password=MASK))))).destination_response
    expect(dput.name == "warehouse-3" and dput.configuration["schema"] == "raw", f"put_destination: {dput}")
    out["destination"] = {"id": dest_id}

    # --- streams --------------------------------------------------------------------------------
    streams = steps.run("get_stream_properties", lambda: sdk.streams.get_stream_properties(request=api.GetStreamPropertiesRequest(
        source_id=source_id, destination_id=dest_id))).stream_properties_response
    orders = next(s for s in streams if s.stream_name == "orders")
    expect(orders.streamnamespace == "public", f"streamnamespace: {orders.streamnamespace}")
    out["streams"] = {
        "count": len(streams),
        "ordersSyncModes": [m.value for m in orders.sync_modes],
        "ordersPrimaryKey": orders.source_defined_primary_key,
        "ordersFields": orders.property_fields[:3],
    }
    without_dest = steps.run("get_stream_properties_without_destination", lambda: sdk.streams.get_stream_properties(
        request=api.GetStreamPropertiesRequest(source_id=source_id))).stream_properties_response
    expect(all(s.sync_modes is None for s in without_dest), "no syncModes without a destination")

    # --- connections ----------------------------------------------------------------------------
    conn = steps.run("create_connection", lambda: sdk.connections.create_connection(request=models.ConnectionCreateRequest(
        source_id=source_id, destination_id=dest_id, name="shop to warehouse",
        schedule=models.AirbyteAPIConnectionSchedule(schedule_type=models.ScheduleTypeEnum.CRON, cron_expression="0 0 12 * * ?"),
        configurations=models.StreamConfigurations(streams=[
            models.StreamConfiguration(name="orders", sync_mode=models.ConnectionSyncModeEnum.INCREMENTAL_DEDUPED_HISTORY, cursor_field=["updated_at"]),
            models.StreamConfiguration(name="customers", sync_mode=models.ConnectionSyncModeEnum.FULL_REFRESH_APPEND,
                                       selected_fields=[models.SelectedFieldInfo(field_path=["id"]), models.SelectedFieldInfo(field_path=["email"])]),
        ])))).connection_response
    conn_id = conn.connection_id
    expect(conn.status == models.ConnectionStatusEnum.ACTIVE, f"status: {conn.status}")
    expect(conn.schedule.cron_expression == "0 0 12 * * ? UTC", f"cron read back: {conn.schedule}")
    expect(conn.workspace_id == ws and conn.tags == [], "workspace and tags")
    modes = {s.name: s.sync_mode.value for s in conn.configurations.streams}
    expect(modes == {"orders": "incremental_deduped_history", "customers": "full_refresh_append"}, f"modes: {modes}")
    customers = next(s for s in conn.configurations.streams if s.name == "customers")
    expect([f.field_path for f in customers.selected_fields] == [["id"], ["email"]], f"selected fields: {customers.selected_fields}")
    got_conn = steps.run("get_connection", lambda: sdk.connections.get_connection(request=api.GetConnectionRequest(connection_id=conn_id))).connection_response
    expect(got_conn.model_dump() == conn.model_dump(), "get_connection equals create")
    conns = steps.run("list_connections", lambda: sdk.connections.list_connections(request=api.ListConnectionsRequest(workspace_ids=[ws]))).connections_response
    expect([c.connection_id for c in conns.data] == [conn_id], "list_connections")
    cpatch = steps.run("patch_connection", lambda: sdk.connections.patch_connection(request=api.PatchConnectionRequest(
        connection_id=conn_id, connection_patch_request=models.ConnectionPatchRequest(
            status=models.ConnectionStatusEnum.INACTIVE,
            schedule=models.AirbyteAPIConnectionSchedule(schedule_type=models.ScheduleTypeEnum.MANUAL))))).connection_response
    expect(cpatch.status == models.ConnectionStatusEnum.INACTIVE and cpatch.schedule.schedule_type.value == "manual" and cpatch.schedule.cron_expression is None, f"patch: {cpatch}")
    expect(len(cpatch.configurations.streams) == 2, "patch without configurations keeps the catalog")
    deleted = steps.run("delete_connection", lambda: sdk.connections.delete_connection(request=api.DeleteConnectionRequest(connection_id=conn_id)))
    expect(deleted.status_code == 204, "delete_connection is 204")
    gone = steps.run("get_deleted_connection", lambda: sdk.connections.get_connection(request=api.GetConnectionRequest(connection_id=conn_id))).connection_response
    expect(gone.status == models.ConnectionStatusEnum.DEPRECATED, f"deleted connection: {gone.status}")
    out["connection"] = {"id": conn_id, "createdAt": conn.created_at}

    # --- errors and deletes ---------------------------------------------------------------------
    try:
        sdk.sources.get_source(request=api.GetSourceRequest(source_id="0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"))
        raise AssertionError("an unknown source must fail")
    except errors.SDKError as exc:
        out["unknownSource"] = {"status": exc.status_code, "body": json.loads(exc.body)}
    steps.done.append("get_unknown_source")

    dd = steps.run("delete_destination", lambda: sdk.destinations.delete_destination(request=api.DeleteDestinationRequest(destination_id=dest_id)))
    sd = steps.run("delete_source", lambda: sdk.sources.delete_source(request=api.DeleteSourceRequest(source_id=by_name.source_id)))
    expect(dd.status_code == 204 and sd.status_code == 204, "deletes are 204")
    # A deleted source still answers 200, with its voided configuration as `null`: the spec (and so
    # the SDK, even relaxed) wants an object there.
    try:
        sdk.sources.get_source(request=api.GetSourceRequest(source_id=by_name.source_id))
        out["deletedSource"] = "parsed"
    except errors.ResponseValidationError as exc:
        out["deletedSource"] = {"status": exc.raw_response.status_code, "configuration": exc.raw_response.json().get("configuration", "absent")}
    steps.done.append("get_deleted_source")
    remaining = steps.run("list_sources_after_delete", lambda: sdk.sources.list_sources(request=api.ListSourcesRequest(workspace_ids=[ws]))).sources_response
    expect([s.source_id for s in remaining.data] == [source_id], "deleted sources leave the list")
    # With includeDeleted the page holds the deleted source too, and its `null` configuration again
    # fails the SDK's model: read the raw answer.
    try:
        sdk.sources.list_sources(request=api.ListSourcesRequest(workspace_ids=[ws], include_deleted=True))
        raise AssertionError("a page with a voided configuration parsed")
    except errors.ResponseValidationError as exc:
        data = exc.raw_response.json()["data"]
        expect([s["sourceId"] for s in data] == [source_id, by_name.source_id], "includeDeleted lists the deleted source")
        out["includeDeletedConfigurations"] = [s["configuration"] is None for s in data]
    steps.done.append("list_sources_include_deleted")

    out["steps"] = steps.done
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        sys.exit(1)
