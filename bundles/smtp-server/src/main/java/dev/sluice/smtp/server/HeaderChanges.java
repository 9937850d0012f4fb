package dev.sluice.smtp.server;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.mail.HeaderField;
import java.util.ArrayList;
import java.util.List;

/** Applies DataFilter header changes to a parsed header. */
final class HeaderChanges {

    private HeaderChanges() {
    }

    static List<HeaderField> apply(List<HeaderField> header, List<HeaderChange> changes) {
        List<HeaderField> out = new ArrayList<>(header);
        for (HeaderChange change : changes) {
            if (change instanceof HeaderChange.Add add) {
                out.add(0, add.field());
            } else if (change instanceof HeaderChange.Set set) {
                int at = indexOf(out, set.field().name());
                out.removeIf(f -> f.hasName(set.field().name()));
                out.add(Math.max(0, Math.min(at, out.size())), set.field());
            } else if (change instanceof HeaderChange.Remove remove) {
                out.removeIf(f -> f.hasName(remove.name()));
            }
        }
        return out;
    }

    private static int indexOf(List<HeaderField> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).hasName(name)) {
                return i;
            }
        }
        return 0;
    }
}
