package dev.switchboard.core.media;

import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a request so that media URLs are replaced by {@code data:} URLs: image URLs, video URLs
 * and a file's {@code file_data}. Pure; everything else is kept as it is.
 */
public final class MediaInliner {

  private MediaInliner() {}

  /** {@code request} with every URL that is a key of {@code dataUrls} replaced by its value. */
  public static LlmRequest inline(LlmRequest request, Map<String, String> dataUrls) {
    if (dataUrls.isEmpty()) {
      return request;
    }
    List<Message> messages = new ArrayList<>(request.messages().size());
    boolean changed = false;
    for (Message message : request.messages()) {
      Message rewritten = rewrite(message, dataUrls);
      changed |= rewritten != message;
      messages.add(rewritten);
    }
    return changed ? request.withMessages(messages) : request;
  }

  private static Message rewrite(Message message, Map<String, String> dataUrls) {
    List<ContentPart> parts = parts(message.content(), dataUrls);
    if (parts == null) {
      return message;
    }
    return switch (message) {
      case Message.System s -> new Message.System(parts, s.name(), s.developer());
      case Message.User u -> new Message.User(parts, u.name());
      case Message.Assistant a ->
          new Message.Assistant(
              parts,
              a.name(),
              a.toolCalls(),
              a.refusal(),
              a.reasoning(),
              a.reasoningDetails(),
              a.extra());
      case Message.Tool t -> new Message.Tool(t.toolCallId(), parts, t.isError(), t.cacheControl());
    };
  }

  /** The rewritten parts, or null when nothing changed. */
  private static List<ContentPart> parts(List<ContentPart> parts, Map<String, String> dataUrls) {
    List<ContentPart> out = null;
    for (int i = 0; i < parts.size(); i++) {
      ContentPart part = parts.get(i);
      ContentPart rewritten =
          switch (part) {
            case ContentPart.Image image ->
                dataUrls.containsKey(image.url())
                    ? new ContentPart.Image(
                        dataUrls.get(image.url()), image.detail(), image.cacheControl())
                    : part;
            case ContentPart.Video video ->
                dataUrls.containsKey(video.url())
                    ? new ContentPart.Video(dataUrls.get(video.url()))
                    : part;
            case ContentPart.File file ->
                file.fileData() != null && dataUrls.containsKey(file.fileData())
                    ? new ContentPart.File(
                        file.filename(),
                        dataUrls.get(file.fileData()),
                        file.fileId(),
                        file.cacheControl())
                    : part;
            case ContentPart.Text text -> part;
            case ContentPart.Audio audio -> part;
            case ContentPart.Unknown unknown -> part;
          };
      if (rewritten != part && out == null) {
        out = new ArrayList<>(parts.subList(0, i));
      }
      if (out != null) {
        out.add(rewritten);
      }
    }
    return out;
  }
}
