package dev.sluice.api.delivery;

import dev.sluice.api.mail.Reply;

/** Classifies a failure reply. Called from any thread; pure and fast. */
@org.osgi.annotation.versioning.ProviderType
public interface BounceClassifier {

    BounceCategory classify(Reply reply);
}
