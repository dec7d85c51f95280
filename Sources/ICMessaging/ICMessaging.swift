/// Namespace for the ICMessaging module.
public enum ICMessaging {}
