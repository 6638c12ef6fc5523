package io.warden.server.http;

import io.warden.server.cell.CellResult;

/** The problems the cell state itself answers with, mapped to the API's. */
final class Problems {
    private Problems() {}

    static Problem refused(CellResult.Refused r) {
        String title = switch (r.status()) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            default -> "Refused";
        };
        return Problem.of(r.status(), title, r.type(), r.detail());
    }
}
